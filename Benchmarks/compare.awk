# Compares the receive table of two Benchmarks/results.md files, case by case: the share of sent,
# the CPU per datagram and the ratio to the C loop of the same run, for MulticastMonitor (stats),
# with the C loop's own CPU beside it (it moves with the machine, so the ratio is the fairer
# comparison). Usage: awk -f Benchmarks/compare.awk BEFORE.md AFTER.md   (run.sh appends it).
BEGIN { FS = "|" }

function trim(s) { gsub(/^ +| +$/, "", s); return s }

NF == 12 && $2 ~ /^ (lo|veth) $/ {
    key = trim($2) " | " trim($3) " | " trim($4)
    receiver = trim($5)
    if (receiver != "MulticastMonitor (stats)" && receiver != "C recvmmsg") next
    side = (FNR == NR) ? "before" : "after"
    if (side == "after" && !(key in seen)) { seen[key] = 1; order[++n] = key }
    if (receiver == "C recvmmsg") { cCPU[side, key] = trim($8) } else { share[side, key] = trim($7); cpu[side, key] = trim($8); vsC[side, key] = trim($10) }
}

END {
    if (n == 0) { print "compare.awk: no receive table in " ARGV[2] > "/dev/stderr"; exit 1 }
    print "The receive path against the previous results (MulticastMonitor (stats); before → after):"
    print ""
    print "| link | groups | payload | share of sent | CPU s per M packets | vs C: CPU | C recvmmsg's CPU s per M |"
    print "|---|---|---|---|---|---|---|"
    for (i = 1; i <= n; i++) {
        k = order[i]
        if (!(("before", k) in cpu)) { printf "| %s | – → %s | – → %s | – → %s | – → %s |\n", k, share["after", k], cpu["after", k], vsC["after", k], cCPU["after", k]; continue }
        printf "| %s | %s → %s | %s → %s | %s → %s | %s → %s |\n", k, share["before", k], share["after", k], cpu["before", k], cpu["after", k], vsC["before", k], vsC["after", k], cCPU["before", k], cCPU["after", k]
        sumBefore += vsC["before", k]; sumAfter += vsC["after", k]; both++
        cpuBefore += cpu["before", k]; cpuAfter += cpu["after", k]
        if (vsC["after", k] + 0 > worst) { worst = vsC["after", k] + 0; worstCase = k }
    }
    if (both > 0)
        printf "\nOver the %d cases: mean CPU s per M packets %.3f before, %.3f after (%+.0f%%); mean vs-C CPU ratio %.2f before, %.2f after; the worst case now %.2f (%s).\n", both, cpuBefore / both, cpuAfter / both, (cpuBefore > 0 ? 100 * (cpuAfter / cpuBefore - 1) : 0), sumBefore / both, sumAfter / both, worst, worstCase
}
