package dev.perpetual.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class RunMojoTest {

    @Test
    void runKeepsItsHistoryInSqliteUnderTargetUnlessTheUrlIsGiven() {
        Properties user = new Properties();
        assertThat(RunMojo.history(user, Path.of("/work/shop/target"))).containsExactly("--config",
                "perpetual.history.url=jdbc:sqlite:/work/shop/target/perpetual/history.db");

        user.setProperty("perpetual.history.url", "memory");
        assertThat(RunMojo.history(user, Path.of("/work/shop/target"))).isEmpty();
    }
}
