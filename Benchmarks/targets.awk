# Checks a Benchmarks/results.md against the project's performance targets and prints a markdown
# table: each target, what the run measured (the worst case over all links, group counts and
# payloads), and whether it was met. Reads only the file, so a past run can be checked again:
#   awk -f Benchmarks/targets.awk Benchmarks/results.md
# Run by Benchmarks/run.sh at the end of every run.
BEGIN { FS = "|"; minRate = 1e9; maxCPU = 0; minVsPython = 1e9; cases = 0; rssCount = 0
        listenShare = 1e9; listenCPU = 0; linesShare = 1e9; linesCPU = 0; listenCases = 0; linesCases = 0
        sweepMax = 0; sweepMinShare = 1e9; tuiCount = 0
        payloadCases = 0; tsCases = 0; tsCPU = 0; payloadCPU = 0; linesPayloadCPU = 0; badDecodes = 0 }

function trim(s) { gsub(/^ +| +$/, "", s); return s }

# The receive table: | link | groups | payload | receiver | received/s | share | CPU/M | vs C rate | vs C CPU | batch |
NF == 12 && $2 ~ /^ (lo|veth) $/ {
    key = trim($2) "/" trim($3) "/" trim($4)
    receiver = trim($5)
    if (receiver == "MulticastMonitor (stats)") {
        monitorCPU[key] = trim($8) + 0
        rate = trim($9) + 0; cpu = trim($10) + 0
        if (rate < minRate) { minRate = rate; minRateCase = key }
        if (cpu > maxCPU) { maxCPU = cpu; maxCPUCase = key }
        cases++
    }
    if (receiver == "Python multicast_expert") pythonCPU[key] = trim($8) + 0
}

# The listen table: | link | payload | receiver | received/s | share | CPU/M | vs C share | vs C CPU |
NF == 10 && $2 ~ /^ (lo|veth) $/ && $4 ~ /^ mcexpert listen/ {
    key = trim($2) "/" trim($3); share = trim($8) + 0; cpu = trim($9) + 0
    # The target is listen as a user runs it: default flags, a line per datagram.
    if (trim($4) == "mcexpert listen (a line per datagram)") {
        listenCases++
        if (share < listenShare) { listenShare = share; listenShareCase = key }
        if (cpu > listenCPU) { listenCPU = cpu; listenCPUCase = key }
    } else {
        linesCases++
        if (share < linesShare) { linesShare = share; linesShareCase = key }
        if (cpu > linesCPU) { linesCPU = cpu; linesCPUCase = key }
    }
}

# The payload table: | link | payload | receiver | received/s | share | CPU/M | vs C share | vs C CPU | summary |
# The target is the TS stream decoded by listen --format stats; every mcexpert row must also have
# decoded the stream as what was sent, with no loss or TS errors unless the kernel dropped.
NF == 11 && $2 ~ /^ (lo|veth) $/ && $4 ~ /^ mcexpert listen/ {
    key = trim($2) "/" trim($3); kind = trim($3); sub(/ .*/, "", kind); cpu = trim($9) + 0; summary = trim($10)
    if (trim($4) == "mcexpert listen --format stats") {
        payloadCases++
        if (kind == "ts") { tsCases++; if (cpu > tsCPU) { tsCPU = cpu; tsCPUCase = key } }
        if (cpu > payloadCPU) { payloadCPU = cpu; payloadCPUCase = key }
    } else if (cpu > linesPayloadCPU) { linesPayloadCPU = cpu; linesPayloadCPUCase = key }
    drops = summary; sub(/.*kernel drops /, "", drops)
    ok = index(summary, "kind " kind ",") == 1 && summary !~ /undecodable/
    if (drops + 0 == 0 && (summary ~ /lost [1-9]/ || summary ~ /(^|, )(sync|cc|pat|pmt|pid) [0-9]/)) ok = 0
    if (!ok) { badDecodes++; badDecodeCase = key " (" trim($4) "): " summary }
}

# The groups sweep: | groups | receiver | join all | received/s | share | CPU/M | vs C CPU | RSS |
NF == 10 && $3 ~ /^ mcexpert \(MulticastMonitor\) $/ {
    g = trim($2) + 0; share = trim($6) + 0
    if (g > sweepMax) { sweepMax = g; sweepMaxJoin = trim($4); sweepMaxShare = share }
    if (share < sweepMinShare) { sweepMinShare = share; sweepMinShareGroups = g }
}

/^\| mcexpert send --rate max \|/ { sendRatio = trim($4) + 0; haveSend = 1 }

/^rss_kib=/ { split($0, f, /[= ]/); rss[++rssCount] = f[2] + 0 }
/^sent [0-9]+, received [0-9]+/ { split($0, f, /[ ,]+/); soakSent = f[2]; soakReceived = f[4] }

/UI thread \(drawing\)/ {
    match($0, /\(drawing\) [0-9.]+%/); value = substr($0, RSTART + 10, RLENGTH - 11) + 0
    streams = 50; if (match($0, /TUI with [0-9]+ streams/)) streams = substr($0, RSTART + 9, RLENGTH - 17) + 0
    tuiStreams[++tuiCount] = streams; tuiUI[tuiCount] = value; haveTUI = 1
}

function verdict(ok) { return ok ? "met" : "**not met**" }

END {
    if (cases == 0 && !haveSend && !haveTUI && rssCount == 0 && listenCases == 0 && sweepMax == 0 && payloadCases == 0) {
        print "targets.awk: no benchmark figures in " FILENAME "; expected a results.md written by Benchmarks/run.sh" > "/dev/stderr"
        exit 1
    }
    for (key in pythonCPU) if (key in monitorCPU && monitorCPU[key] > 0) {
        ratio = pythonCPU[key] / monitorCPU[key]
        if (ratio < minVsPython) { minVsPython = ratio; minPythonCase = key }
    }
    print "| target | measured (worst case) | |"
    print "|---|---|---|"
    if (cases > 0) {
        printf "| MulticastMonitor receives ≥ 95%% of what C recvmmsg receives | %.0f%% (%s) | %s |\n", 100 * minRate, minRateCase, verdict(minRate >= 0.95)
        printf "| MulticastMonitor CPU per datagram ≤ 1.3x C's, statistics on | %.2fx (%s) | %s |\n", maxCPU, maxCPUCase, verdict(maxCPU <= 1.3)
    }
    if (minVsPython < 1e9)
        printf "| ≥ 3x fewer CPU seconds per datagram than Python multicast_expert | %.1fx (%s) | %s |\n", minVsPython, minPythonCase, verdict(minVsPython >= 3)
    if (haveSend)
        printf "| mcexpert send ≥ 90%% of the C sendmmsg rate | %.0f%% | %s |\n", 100 * sendRatio, verdict(sendRatio >= 0.9)
    if (listenCases > 0) {
        printf "| mcexpert listen, default flags (a line per datagram), receives ≥ 0.99 of the C loop's share (8 MiB buffer, full speed) | %.3f (%s) | %s |\n", listenShare, listenShareCase, verdict(listenShare >= 0.99)
        printf "| mcexpert listen, default flags (a line per datagram), CPU per datagram ≤ 1.3x the C loop's | %.2fx (%s) | %s |\n", listenCPU, listenCPUCase, verdict(listenCPU <= 1.3)
    }
    if (linesCases > 0)
        printf "| for reference, not a target: mcexpert listen --format stats (no line per datagram) | share %.3f (%s), CPU %.2fx (%s) of the C loop's | – |\n", linesShare, linesShareCase, linesCPU, linesCPUCase
    if (tsCases > 0)
        printf "| MPEG-TS over UDP (7 x 188 B), decoded per datagram: mcexpert listen --format stats CPU per datagram ≤ 1.3x the C loop's | %.2fx (%s) | %s |\n", tsCPU, tsCPUCase, verdict(tsCPU <= 1.3)
    if (payloadCases > 0) {
        printf "| Every payload stream decoded as sent: the kind, no loss, no TS errors (unless the kernel dropped, which the summary says) | %s | %s |\n", (badDecodes == 0 ? "all " payloadCases " streams, both listeners" : badDecodes " not: " badDecodeCase), verdict(badDecodes == 0)
        printf "| for reference, not a target: every payload kind (ts, rtp, rtp-ts) with listen --format stats; with a line per datagram | CPU %.2fx (%s); %.2fx (%s) of the C loop's | – |\n", payloadCPU, payloadCPUCase, linesPayloadCPU, linesPayloadCPUCase
    }
    if (sweepMax > 0)
        printf "| %d groups on one interface join and receive (every group count ≥ 99%% of sent) | joined in %s; worst share %.1f%% (%d groups) | %s |\n", sweepMax, sweepMaxJoin, sweepMinShare, sweepMinShareGroups, verdict(sweepMax >= 5000 && sweepMinShare >= 99)
    for (i = 1; i <= tuiCount; i++)
        printf "| TUI drawing < 10%% of one core at %d streams, 100k datagrams/s | %.1f%% | %s |\n", tuiStreams[i], tuiUI[i], verdict(tuiUI[i] < 10)
    if (rssCount >= 4) {
        # No growth: the second half of the soak never goes more than 1 MiB above the first half's peak.
        half = int(rssCount / 2); firstPeak = 0; secondPeak = 0
        for (i = 1; i <= half; i++) if (rss[i] > firstPeak) firstPeak = rss[i]
        for (i = half + 1; i <= rssCount; i++) if (rss[i] > secondPeak) secondPeak = rss[i]
        printf "| No memory growth under the soak (second half's RSS peak ≤ first half's + 1 MiB), nothing lost | %.1f MiB then %.1f MiB, %d of %d received | %s |\n", firstPeak / 1024, secondPeak / 1024, soakReceived, soakSent, verdict(secondPeak <= firstPeak + 1024 && soakReceived == soakSent)
    }
    else if (rssCount > 0)
        printf "| No memory growth under the soak | %d RSS samples, too few to judge (SOAK_SECONDS=600 gives 60) | not judged |\n", rssCount
}
