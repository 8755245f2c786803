package com.acme;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /greeting?name=x} answers {@code {"id":1,"content":"Hello, x!"}}. */
@SpringBootApplication
@RestController
public class GreetingApplication {

    private final AtomicLong count = new AtomicLong();

    public static void main(String[] args) {
        SpringApplication.run(GreetingApplication.class, args);
    }

    @GetMapping("/greeting")
    public Greeting greeting(@RequestParam(defaultValue = "World") String name) {
        return new Greeting(count.incrementAndGet(), "Hello, " + name + "!");
    }

    public record Greeting(long id, String content) {
    }
}
