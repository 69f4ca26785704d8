#!/usr/bin/env bash
# Fetches the local Kafka broker's jars (and a logging binding) from Maven Central into .kafka/libs.
# A second run finds them cached and returns at once. Used by the tests, the demo, the bench and `npm run kafka`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pom="$root/scripts/kafka/pom.xml"
libs="$root/.kafka/libs"
version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")
marker="$libs/.complete-$version"
if [ -f "$marker" ]; then
  echo "kafka $version: jars cached in $libs"
  exit 0
fi
command -v mvn >/dev/null || { echo "mvn not found: install Maven (and Java 17+) to fetch the local Kafka broker" >&2; exit 1; }
echo "kafka $version: fetching broker jars from Maven Central into $libs"
rm -rf "$libs"
mkdir -p "$libs"
fetch() { mvn -B -q -f "$pom" dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime; }
fetch
# Seen once here: mvn exited 0 having copied nothing. Check for the broker jar, try once more, then fail loudly.
if [ ! -f "$libs/kafka_2.13-$version.jar" ]; then
  echo "kafka $version: mvn copied no broker jar; trying once more" >&2
  fetch
  [ -f "$libs/kafka_2.13-$version.jar" ] || { echo "kafka $version: kafka_2.13-$version.jar is still missing from $libs" >&2; exit 1; }
fi
touch "$marker"
echo "kafka $version: $(ls "$libs" | wc -l) jars ready"
