package dev.perpetual.maven;

import java.nio.file.Path;
import java.util.List;

import org.apache.maven.plugin.MojoExecutionException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/** The executable daemon jar, {@value #COORDINATES}, resolved by Maven's own resolver. */
final class DaemonJar {

    static final String COORDINATES = "dev.perpetual:perpetual-launcher-daemon:jar:exec:<version>";

    private DaemonJar() {
    }

    /** The daemon jar of {@code version}: from the local repository, or from {@code remotes} into it. */
    static Path resolve(RepositorySystem system, RepositorySystemSession session, List<RemoteRepository> remotes,
            String version) throws MojoExecutionException {
        Artifact artifact = new DefaultArtifact("dev.perpetual", "perpetual-launcher-daemon", "exec", "jar", version);
        try {
            return system.resolveArtifact(session, new ArtifactRequest(artifact, remotes, null)).getArtifact()
                    .getFile().toPath();
        }
        catch (ArtifactResolutionException e) {
            throw new MojoExecutionException(String.format("Perpetual could not resolve its daemon, %s: %s%nThe "
                    + "plugin runs the daemon jar of its own version; the repositories the plugin comes from must "
                    + "hold it too.", artifact, e.getMessage()), e);
        }
    }
}
