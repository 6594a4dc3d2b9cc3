package babble.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Facts about this machine and readings of processes (CPU time, resident memory) from /proc. */
public final class Machine {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private Machine() {
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    public static String memory() {
        return firstLine("/proc/meminfo", "MemTotal:").replace("MemTotal:", "").trim();
    }

    public static String cpuModel() {
        return firstLine("/proc/cpuinfo", "model name").replaceFirst("model name\\s*:\\s*", "");
    }

    public static String jdk() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    /** CPU seconds (user + system) used so far by these processes together. */
    public static double cpuSeconds(List<ProcessHandle> processes) {
        double total = 0;
        for (ProcessHandle p : processes) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
            } catch (IOException | RuntimeException e) {
                // the process ended
            }
        }
        return total;
    }

    /**
     * The processes that hold live sockets: the gateways when each service has its own process, otherwise all of
     * them (all-in-one is one JVM). Other processes' heaps move for their own reasons and would drown the signal.
     */
    public static List<ProcessHandle> gateways(List<ProcessHandle> processes) {
        List<ProcessHandle> gateways = processes.stream()
                .filter(p -> babble.client.LocalBabble.serviceOf(p).filter("gateway"::equals).isPresent())
                .toList();
        return gateways.isEmpty() ? processes : gateways;
    }

    /** Resident memory of these processes together, in MiB. */
    public static double rssMiB(List<ProcessHandle> processes) {
        double kib = 0;
        for (ProcessHandle p : processes) {
            String line = firstLine("/proc/" + p.pid() + "/status", "VmRSS:");
            if (!line.isEmpty()) {
                kib += Double.parseDouble(line.replaceAll("[^0-9]", ""));
            }
        }
        return kib / 1024.0;
    }

    /**
     * Live heap of these processes together, in MiB: each one is asked (with {@code jcmd}) to collect its garbage,
     * then to report its heap. Unlike RSS, this shrinks when memory is freed, so differences measure what is retained.
     */
    public static double liveHeapMiB(List<ProcessHandle> processes) {
        double kib = 0;
        for (ProcessHandle p : processes) {
            Path jcmd = p.info().command().map(c -> Path.of(c).resolveSibling("jcmd"))
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "jcmd"));
            run(jcmd, p.pid(), "GC.run");
            for (String line : run(jcmd, p.pid(), "GC.heap_info").split("\n")) {
                // generation or region lines ("def new generation total 1K, used 2K", "garbage-first heap ..."),
                // not metaspace, which is off the heap
                var used = USED.matcher(line);
                if (!line.contains("Metaspace") && !line.contains("class space") && used.find()) {
                    kib += Long.parseLong(used.group(1));
                }
            }
        }
        return kib / 1024.0;
    }

    private static final java.util.regex.Pattern USED = java.util.regex.Pattern.compile("used (\\d+)K");

    private static String run(Path jcmd, long pid, String command) {
        try {
            var process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + jcmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }
}
