#!/usr/bin/env bash
# Copies a POM's runtime dependencies from Maven Central into a folder, once per version: the step that
# fetch-kafka.sh (the local broker) and fetch-connect.sh (Kafka Connect, for the conformance suite) share.
# Usage: fetch-jars.sh NAME POM LIBS JAR
#   NAME: what is fetched, in the messages; POM: its <kafka.version> is the version; LIBS: the folder (emptied and
#   filled again unless its marker says this version is complete); JAR: the jar, without `-<version>.jar`, that
#   must have arrived. A second run finds the marker and returns at once.
set -euo pipefail
name=$1 pom=$2 libs=$3 jar=$4
version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")
marker="$libs/.complete-$version"
if [ -f "$marker" ]; then
  echo "$name $version: jars cached in $libs"
  exit 0
fi
command -v mvn >/dev/null || { echo "mvn not found: install Maven (and Java 17+) to fetch $name" >&2; exit 1; }
echo "$name $version: fetching jars from Maven Central into $libs"
rm -rf "$libs"
mkdir -p "$libs"
fetch() { mvn -B -q -f "$pom" dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime; }
fetch
# Seen once here: mvn exited 0 having copied nothing. Check for the jar that must be there, try once more, then fail loudly.
expected="$jar-$version.jar"
if [ ! -f "$libs/$expected" ]; then
  echo "$name $version: mvn copied no $expected; trying once more" >&2
  fetch
  [ -f "$libs/$expected" ] || { echo "$name $version: $expected is still missing from $libs" >&2; exit 1; }
fi
touch "$marker"
echo "$name $version: $(ls "$libs" | wc -l) jars ready"
