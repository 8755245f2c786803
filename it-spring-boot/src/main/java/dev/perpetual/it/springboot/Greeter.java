package dev.perpetual.it.springboot;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Says hello; counts its greetings. Plain Spring: no web needed. */
@Service
public class Greeter {

    private static final Logger log = LoggerFactory.getLogger(Greeter.class);

    private final AtomicLong counter = new AtomicLong();

    public Greeting greet(String name) {
        String who = name == null || name.isBlank() ? "World" : name.strip();
        Greeting greeting = new Greeting(counter.incrementAndGet(), "Hello, " + who + "!");
        log.info("greeting #{} for {}", greeting.id(), who);
        return greeting;
    }
}
