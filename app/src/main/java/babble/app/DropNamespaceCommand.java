package babble.app;

import babble.platform.Namespace;
import babble.platform.config.Config;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code babble drop-namespace NAME}: removes a throwaway deployment's data from PostgreSQL, NATS and Redis. */
@Command(name = "drop-namespace", mixinStandardHelpOptions = true,
        description = "Remove everything a deployment stored under a namespace (databases NAME_*, JetStream streams, "
                + "Redis keys) on the servers named by BABBLE_POSTGRES_URL, BABBLE_NATS_URL and BABBLE_REDIS_URL. "
                + "Refuses the default namespace.")
final class DropNamespaceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The namespace (BABBLE_NAMESPACE of the deployment).")
    String name;

    @Override
    public Integer call() {
        Namespace.drop(Config.fromEnvironment().withOverrides(Map.of("BABBLE_NAMESPACE", name)));
        System.out.println("dropped namespace " + name);
        return 0;
    }
}
