# Sourced by the JMH and analytics scenarios: builds the benchmarks module and its
# dependencies, and sets CLASSPATH to run its classes. Run from the repository root.
./mvnw -q -B -DskipTests -pl benchmarks -am install -Dmaven.install.skip=false >/dev/null
./mvnw -q -B -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
CLASSPATH="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
