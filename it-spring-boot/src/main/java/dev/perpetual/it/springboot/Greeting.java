package dev.perpetual.it.springboot;

/** The body of {@code GET /greeting}: {@code {"id":1,"content":"Hello, x!"}}. */
public record Greeting(long id, String content) {
}
