package dev.perpetual;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apiguardian.api.API;

/**
 * Marks a static factory method whose product is shared by every run of the class's {@link Perpetual} tests for
 * as long as the launcher session lives: the build under {@code mvn test}, the daemon's life under the daemon.
 * It is made on first use and, if it is {@link AutoCloseable}, closed when the session closes.
 *
 * <p>{@code @BeforeAll} runs again on every execution the daemon starts, so an expensive fixture set up there (an
 * API client with a connection pool, a logged-in session) would be rebuilt every run. Declare it once instead, and
 * take it as a test method parameter of the factory's return type:
 *
 * <pre>
 * class CheckoutE2E {
 *     &#64;Shared
 *     static ShopClient shop(Config config) {           // made once, closed at the end
 *         return new ShopClient(config.require("shop.url"));
 *     }
 *
 *     &#64;Perpetual(period = "30s", timeout = "10s")
 *     void orderConfirmed(O o, ShopClient shop) { ... }
 * }
 * </pre>
 *
 * <p>The factory may declare parameters any registered resolver supplies, such as {@link Config}. It must be
 * static, return a value and be the only {@code @Shared} factory in the class for its type.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@API(status = EXPERIMENTAL, since = "0.1")
public @interface Shared {
}
