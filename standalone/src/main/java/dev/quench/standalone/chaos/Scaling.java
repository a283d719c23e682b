package dev.quench.standalone.chaos;

import dev.quench.standalone.FreePorts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The processes a scale-out starts: workers and api instances until {@link #WORKERS} and {@link #APIS} of them run.
 * A worker that left in an earlier scale-in joins again under its id (its transactional id fences what its last
 * life left open); beyond those, new ones take the next free ids. A joined api instance gets a share of the load:
 * it is added to the load's {@link TaskApi} once healthy.
 */
final class Scaling {

  static final int WORKERS = 4;
  static final int APIS = 3;

  /**
   * What one scale-out started.
   *
   * @param workers the workers that joined, each ready
   * @param apis    the api instances that joined, each healthy and in the load's rotation
   */
  record Joined(List<ServiceProcess> workers, List<ServiceProcess> apis) {

    @Override
    public String toString() {
      List<String> ids = new ArrayList<>();
      workers.forEach(w -> ids.add(w.id() + " (pid " + w.pid() + ")"));
      apis.forEach(a -> ids.add(a.id() + " (pid " + a.pid() + ")"));
      return ids.toString();
    }
  }

  private final Fleet fleet;
  private final TaskApi api;
  private final Timeline timeline;
  private final Map<String, String> apiUrls = new TreeMap<>();

  /** @param api the load's client of the api: the joined instances are added to it */
  Scaling(Fleet fleet, TaskApi api, Timeline timeline) {
    this.fleet = fleet;
    this.api = api;
    this.timeline = timeline;
  }

  Joined join() throws InterruptedException {
    List<ServiceProcess> starting = new ArrayList<>();
    List<ServiceProcess> workers = new ArrayList<>();
    long running = fleet.workers().stream().filter(ServiceProcess::isAlive).count();
    for (ServiceProcess worker : fleet.workers()) {
      if (running < WORKERS && !worker.isAlive()) {
        workers.add(worker);
        running++;
      }
    }
    while (running < WORKERS) {
      workers.add(fleet.addWorker("worker-" + (fleet.workers().size() + 1)));
      running++;
    }
    starting.addAll(workers);
    List<ServiceProcess> apis = new ArrayList<>();
    long instances = apis().stream().filter(ServiceProcess::isAlive).count();
    while (instances < APIS) {
      String id = "api-" + (apis().size() + 1);
      int port = FreePorts.take(1)[0];
      String url = "http://localhost:" + port;
      apis.add(fleet.addApi(id, port, api.only(url)));
      apiUrls.put(id, url);
      instances++;
    }
    starting.addAll(apis);
    starting.forEach(ServiceProcess::start);
    for (ServiceProcess process : starting) {
      process.awaitReady(Fleet.START_TIMEOUT);
      timeline.note(process.id() + " joined (pid " + process.pid() + ")");
    }
    apis.forEach(instance -> api.addInstance(apiUrls.get(instance.id())));
    return new Joined(workers, apis);
  }

  /** Where the load's requests go now, in turn. */
  List<String> apiInstances() {
    return api.instances();
  }

  private List<ServiceProcess> apis() {
    return fleet.processes().stream().filter(p -> p.role() == ServiceProcess.Role.API).toList();
  }
}
