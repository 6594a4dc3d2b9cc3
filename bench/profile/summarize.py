#!/usr/bin/env python3
"""CPU per request by where it went, from bench/profile/profile.sh's output.

    summarize.py DIR              one deployment's paths
    summarize.py DIR BEFORE_DIR   the same, next to an earlier profile (say, of the commit before a change)

Samples are async-profiler's CPU samples at 1 ms, so a sample stands for about 1 ms of CPU on some thread; a
path's samples over all Babble JVMs, divided by the requests wrk counted while they were taken, is its CPU per
request. A sample belongs to the innermost frame of a known library or of Babble (JDK frames count for their
caller); the JIT compiler and garbage collection are told apart by their threads.
"""
import collections
import glob
import os
import re
import sys

OWNERS = [
    ('database (H2 engine, PostgreSQL driver, pool, Jdbi)', ('org/h2/', 'org/postgresql/', 'com/zaxxer', 'org/jdbi')),
    ('Redis client (Lettuce, Netty)', ('io/lettuce', 'io/netty')),
    ('NATS client', ('io/nats',)),
    ('logging (Logback)', ('ch/qos/logback', 'net/logstash')),
    ('calls to other services (HTTP client or in-memory connector)',
     ('babble/platform/client/', 'org/apache/hc', 'jdk/internal/net/http', 'org/eclipse/jetty/http/HttpTester',
      'org/eclipse/jetty/server/LocalConnector')),
    ('signed identity (HMAC, claims)', ('babble/platform/identity',)),
    ('JSON (Jackson)', ('com/fasterxml/jackson',)),
    ('rate limits (Bucket4j), caches (Caffeine)', ('io/github/bucket4j', 'com/github/benmanes')),
    ('resilience (Resilience4j)', ('io/github/resilience4j',)),
    ('metrics (Micrometer)', ('io/micrometer', 'io/prometheus')),
    ('HTTP server (Jetty, Javalin)', ('org/eclipse/jetty', 'io/javalin', 'kotlin/')),
    ('Babble code', ('babble/',)),
]
PATHS = ['counter', 'post', 'history']


def category(stack):
    frames = stack.split(';')
    if any('CompileBroker' in f for f in frames):
        return 'JIT compiler'
    if any(f == 'VMThread::run' or 'GCTaskThread' in f or 'SerialHeap' in f for f in frames):
        return 'garbage collection'
    if frames[-1].endswith('_[k]'):
        return 'kernel (syscalls, network, scheduling)'
    for frame in reversed(frames):
        for name, prefixes in OWNERS:
            if frame.startswith(prefixes):
                return name
    return 'JVM runtime (thread scheduling, JDK)'


def wrk(path):
    text = open(path).read()
    return (int(re.search(r'(\d+) requests in', text).group(1)), float(re.search(r'Requests/sec:\s+([\d.]+)', text).group(1)),
            re.search(r'99%\s+(\S+)', text).group(1))


def load(directory, path):
    files = glob.glob(os.path.join(directory, path + '-*.collapsed'))
    if not files:
        return None
    requests, _, _ = wrk(os.path.join(directory, path + '.wrk'))
    _, rate, p99 = wrk(os.path.join(directory, path + '.wrk2'))
    where = collections.Counter()
    for name in files:
        for line in open(name):
            stack, _, count = line.rstrip().rpartition(' ')
            where[category(stack)] += int(count)
    return {'requests': requests, 'rate': rate, 'p99': p99, 'where': where, 'total': sum(where.values())}


def per_request(profile, key=None):
    samples = profile['total'] if key is None else profile['where'][key]
    return round(samples * 1000 / max(profile['requests'], 1))


def main(after_dir, before_dir=None):
    profiles = {p: (load(after_dir, p), load(before_dir, p) if before_dir else None) for p in PATHS}
    profiles = {p: v for p, v in profiles.items() if v[0]}
    print('| path | ' + ('before: requests/s | p99 | ' if before_dir else '') + 'requests/s | p99 | CPU per request |')
    print('|---|' + ('---|---|' if before_dir else '') + '---|---|---|')
    for path, (after, before) in profiles.items():
        cells = [path] + ([f"{before['rate']:.0f}", before['p99']] if before else []) + [f"{after['rate']:.0f}", after['p99']]
        cpu = (f"{per_request(before)} µs → " if before else '') + f"{per_request(after)} µs"
        print('| ' + ' | '.join(cells + [cpu]) + ' |')
    for path, (after, before) in profiles.items():
        print(f"\n**{path}**: CPU per request by where it was spent, µs (while profiled)\n")
        print('| where | ' + ('before | after |' if before else 'µs |'))
        print('|---|---|' + ('---|' if before else ''))
        keys = sorted(set(after['where']) | set(before['where'] if before else []),
                      key=lambda k: -(per_request(after, k) + (per_request(before, k) if before else 0)))
        for k in keys:
            print(f"| {k} | " + (f"{per_request(before, k)} | " if before else '') + f"{per_request(after, k)} |")
        print('| **total** | ' + (f"**{per_request(before)}** | " if before else '') + f"**{per_request(after)}** |")


if __name__ == '__main__':
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(*sys.argv[1:])
