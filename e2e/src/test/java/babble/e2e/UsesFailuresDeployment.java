package babble.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a class that takes its turn on {@link Deployments#failures()}. {@link DeploymentOrder} runs such classes
 * first, one after another, and the last of them to finish closes the deployment ({@link Deployments#release}), so
 * its processes do not sit beside every later test's on two cores.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(Deployments.ReleaseFailures.class)
@interface UsesFailuresDeployment {
}
