package babble.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads what a long run must not let grow, from the deployment's JVMs themselves over JMX (each reached through
 * the JDK's attach API, which starts its local management agent): live heap after a full collection, threads and
 * open file descriptors, plus resident memory from /proc. One connection per process, kept for the whole run; a
 * process that is new (restarted) gets its own, and is counted.
 */
public final class ProcessProbe implements AutoCloseable {

    /** The deployment's processes together at one moment. */
    public record Reading(int processes, double rssMiB, double heapAfterGcMiB, int threads, long fileDescriptors) {
    }

    private record Connection(JMXConnector connector, MemoryMXBean memory, ThreadMXBean threads,
                              UnixOperatingSystemMXBean system) {
    }

    private final Map<Long, Connection> connections = new HashMap<>();
    private int seen;

    /** How many distinct processes were read (more than are running means some were restarted). */
    public int processesSeen() {
        return seen;
    }

    /** Collects each process's garbage, then reads it. */
    public Reading read(List<ProcessHandle> processes) {
        double heap = 0;
        int threads = 0;
        long descriptors = 0;
        for (ProcessHandle process : processes) {
            Connection c = connections.computeIfAbsent(process.pid(), this::connect);
            try {
                c.memory().gc(); // what is retained, not what the last collection happened to leave
                heap += c.memory().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
                threads += c.threads().getThreadCount();
                descriptors += c.system().getOpenFileDescriptorCount();
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot read process " + process.pid() + " over JMX: " + e, e);
            }
        }
        return new Reading(processes.size(), Machine.rssMiB(processes), heap, threads, descriptors);
    }

    private Connection connect(long pid) {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
            MBeanServerConnection server = connector.getMBeanServerConnection();
            seen++;
            return new Connection(connector,
                    ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class),
                    ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class),
                    ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME,
                            UnixOperatingSystemMXBean.class));
        } catch (Exception e) {
            throw new IllegalStateException("cannot attach to process " + pid + ": " + e, e);
        }
    }

    @Override
    public void close() {
        for (Connection c : connections.values()) {
            try {
                c.connector().close();
            } catch (IOException e) {
                // the process ended
            }
        }
        connections.clear();
    }
}
