package babble.e2e;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The suite's class order (junit-platform.properties): the classes that share {@link Deployments#failures()} first,
 * then the rest, each group by name. Grouped, the failure deployment starts once and is closed as soon as the last
 * of them ends; it is told how many of them this run holds.
 */
public final class DeploymentOrder implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor c) -> !c.isAnnotated(UsesFailuresDeployment.class))
                .thenComparing(c -> c.getTestClass().getName()));
        Deployments.expectFailureClasses((int) context.getClassDescriptors().stream()
                .filter(c -> c.isAnnotated(UsesFailuresDeployment.class)).count());
    }
}
