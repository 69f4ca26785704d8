#!/usr/bin/env bash
# Fetches Kafka Connect's jars (runtime, transforms, JSON converter, API, clients and their runtime dependencies)
# from Maven Central into .conformance/libs, and compiles the conformance suite's reference sink connector
# (conformance/reference/) against them into .conformance/reference. A second run finds the jars cached.
# Used by `npm run conformance`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pom="$root/conformance/pom.xml"
libs="$root/.conformance/libs"
classes="$root/.conformance/reference"
bash "$root/scripts/fetch-jars.sh" "kafka connect" "$pom" "$libs" connect-runtime
command -v javac >/dev/null || { echo "javac not found: install a JDK 17+ to compile the reference connector" >&2; exit 1; }
rm -rf "$classes"
mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$libs/*" "$root"/conformance/reference/src/conformance/reference/*.java
echo "reference connector compiled into $classes"
