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
version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")
marker="$libs/.complete-$version"
if [ -f "$marker" ]; then
  echo "kafka connect $version: jars cached in $libs"
else
  command -v mvn >/dev/null || { echo "mvn not found: install Maven (and Java 17+) to fetch Kafka Connect" >&2; exit 1; }
  echo "kafka connect $version: fetching jars from Maven Central into $libs"
  rm -rf "$libs"
  mkdir -p "$libs"
  fetch() { mvn -B -q -f "$pom" dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime; }
  fetch
  # As for the broker: should mvn exit 0 having copied nothing, try once more, then fail loudly.
  if [ ! -f "$libs/connect-runtime-$version.jar" ]; then
    echo "kafka connect $version: mvn copied no connect-runtime jar; trying once more" >&2
    fetch
    [ -f "$libs/connect-runtime-$version.jar" ] || { echo "kafka connect $version: connect-runtime-$version.jar is still missing from $libs" >&2; exit 1; }
  fi
  touch "$marker"
  echo "kafka connect $version: $(ls "$libs" | wc -l) jars ready"
fi
command -v javac >/dev/null || { echo "javac not found: install a JDK 17+ to compile the reference connector" >&2; exit 1; }
rm -rf "$classes"
mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$libs/*" "$root"/conformance/reference/src/conformance/reference/*.java
echo "reference connector compiled into $classes"
