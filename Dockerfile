# One image per service, from one build: docker build --build-arg MODULE=api|worker|projector|callbacks .
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
# Every module the root pom lists, or Maven refuses the reactor: this layer is rebuilt only when a pom changes.
COPY events/pom.xml events/
COPY kafka/pom.xml kafka/
COPY api/pom.xml api/
COPY worker/pom.xml worker/
COPY projector/pom.xml projector/
COPY callbacks/pom.xml callbacks/
COPY standalone/pom.xml standalone/
COPY benchmark/pom.xml benchmark/
RUN ./mvnw -B -q dependency:go-offline -DexcludeReactor=true
COPY . .
RUN ./mvnw -B -q package -DskipTests -pl api,worker,projector,callbacks -am

FROM eclipse-temurin:17-jre
ARG MODULE
RUN useradd --system --uid 10001 quench
COPY --from=build /src/${MODULE}/target/quench-${MODULE}-*-exec.jar /app/app.jar
USER quench
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
