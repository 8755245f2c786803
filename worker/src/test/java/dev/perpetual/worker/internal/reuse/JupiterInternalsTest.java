package dev.perpetual.worker.internal.reuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.engine.JupiterTestEngine;
import org.junit.platform.engine.TestEngine;

/**
 * Which Jupiter engines reuse trusts: the lines whose descriptors it was read against, checked on the real engine
 * jars (target/older-libraries, copied by the build), each loaded beside this class path's JUnit Platform.
 */
class JupiterInternalsTest {

    @Test
    void aJupiterOfTheLinesReuseWasCheckedAgainstIsUsable() throws Exception {
        assertThat(JupiterInternals.inspect(new JupiterTestEngine()).unsupported()).isNull();
        try (EngineJar jupiter60 = new EngineJar("6.0.3")) {
            assertThat(jupiter60.engine().getVersion()).contains("6.0.3");
            assertThat(JupiterInternals.inspect(jupiter60.engine()).unsupported()).isNull();
        }
    }

    @Test
    void aJupiterOfAnotherLineIsNotReusedAndSaysWhy() throws Exception {
        try (EngineJar jupiter512 = new EngineJar("5.12.2")) {
            JupiterInternals.Inspection inspection = JupiterInternals.inspect(jupiter512.engine());

            assertThat(inspection.usable()).isEmpty();
            assertThat(inspection.unsupported()).isEqualTo("JUnit Jupiter 5.12.2 is not of the lines reuse was "
                    + "checked against (5.13 to 6.1)");
        }
    }

    /** {@code junit-jupiter-engine} of {@code version}, its own classes first, the JUnit Platform this one's. */
    private static final class EngineJar extends URLClassLoader {

        private static final String ENGINE = "org.junit.jupiter.engine.";

        EngineJar(String version) throws Exception {
            super(new URL[] { Path.of("target", "older-libraries", "junit-jupiter-engine-" + version + ".jar").toUri()
                    .toURL() }, JupiterInternalsTest.class.getClassLoader());
        }

        TestEngine engine() throws ReflectiveOperationException {
            return (TestEngine) loadClass(ENGINE + "JupiterTestEngine").getConstructor().newInstance();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(ENGINE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }
    }
}
