#!/usr/bin/env bash
# Fetches the local Kafka broker's jars (and a logging binding) from Maven Central into .kafka/libs.
# A second run finds them cached and returns at once. Used by the tests, the demo, the bench and `npm run kafka`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec bash "$root/scripts/fetch-jars.sh" kafka "$root/scripts/kafka/pom.xml" "$root/.kafka/libs" kafka_2.13
