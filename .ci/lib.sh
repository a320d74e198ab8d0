# Sourced by the CI tests that compare a sweep's results table across ways of running it.

# strip_timing FILE: results.csv without the samples_per_second and train_seconds columns, which
# differ from run to run (no quoted commas in these tables).
strip_timing() {
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) drop[i] = ($i == "samples_per_second" || $i == "train_seconds") }
             { line = ""; for (i = 1; i <= NF; i++) if (!drop[i]) line = line $i ","; print line }' "$1"
}

# same_table EXPECTED.csv ACTUAL.csv WHAT: fails with a diff unless both tables are equal but for timing.
same_table() {
    if ! diff <(strip_timing "$1") <(strip_timing "$2"); then
        echo "error: $3: the results table differs from $1 (above: < expected, > actual)" >&2
        return 1
    fi
}
