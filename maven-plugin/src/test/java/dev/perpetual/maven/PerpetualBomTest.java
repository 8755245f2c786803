package dev.perpetual.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.maven.model.Dependency;
import org.apache.maven.model.Model;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.junit.jupiter.api.Test;

/** perpetual-bom has no parent (see its pom.xml), so its versions are written twice: here they are kept equal. */
class PerpetualBomTest {

    @Test
    void theBomManagesTheVersionsThisBuildIsMadeAndTestedWith() throws Exception {
        Model bom = read("perpetual.bom");
        Model parent = read("perpetual.parent");

        assertThat(bom.getParent()).as("a parent's dependencyManagement would reach the users").isNull();
        assertThat(bom.getVersion()).isEqualTo(parent.getVersion());
        for (String version : List.of("junit.version", "micrometer.version", "selenium.version",
                "awaitility.version")) {
            assertThat(bom.getProperties().getProperty(version)).as(version)
                    .isEqualTo(parent.getProperties().getProperty(version));
        }
        assertThat(bom.getDependencyManagement().getDependencies()).extracting(Dependency::getManagementKey)
                .containsExactly("dev.perpetual:perpetual-extension:jar",
                        "dev.perpetual:perpetual-selenium-probes:jar",
                        "dev.perpetual:perpetual-launcher-daemon:jar:exec",
                        "org.junit:junit-bom:pom", "io.micrometer:micrometer-bom:pom",
                        "org.seleniumhq.selenium:selenium-bom:pom", "org.awaitility:awaitility:jar");
    }

    private static Model read(String property) throws Exception {
        try (Reader pom = Files.newBufferedReader(Path.of(MavenBuild.property(property)))) {
            return new MavenXpp3Reader().read(pom);
        }
    }
}
