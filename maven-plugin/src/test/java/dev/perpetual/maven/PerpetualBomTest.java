package dev.perpetual.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.maven.model.Dependency;
import org.apache.maven.model.Model;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.junit.jupiter.api.Test;

/**
 * perpetual-bom manages Perpetual's own artifacts and nothing else: a library version it managed would win over the
 * project's own and its Spring Boot parent's (see its pom.xml).
 */
class PerpetualBomTest {

    @Test
    void theBomManagesOnlyPerpetualsOwnArtifactsAtTheBuildsVersion() throws Exception {
        Model bom = read("perpetual.bom");
        Model parent = read("perpetual.parent");

        assertThat(bom.getParent()).as("a parent's dependencyManagement would reach the users").isNull();
        assertThat(bom.getVersion()).isEqualTo(parent.getVersion());
        assertThat(bom.getDependencyManagement().getDependencies()).extracting(Dependency::getManagementKey)
                .containsExactly("dev.perpetual:perpetual-extension:jar",
                        "dev.perpetual:perpetual-selenium-probes:jar",
                        "dev.perpetual:perpetual-launcher-daemon:jar:exec");
        assertThat(bom.getDependencyManagement().getDependencies()).extracting(Dependency::getVersion)
                .containsOnly("${project.version}");
    }

    private static Model read(String property) throws Exception {
        try (Reader pom = Files.newBufferedReader(Path.of(MavenBuild.property(property)))) {
            return new MavenXpp3Reader().read(pom);
        }
    }
}
