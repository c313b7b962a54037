import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * MongoDB wire-protocol server for the local stack: mongo-java-server with its H2 backend, so documents survive
 * a restart. Usage: MongoWireServer <host> <port> <data-file>. Production uses a real MongoDB (docker-compose).
 */
public class MongoWireServer {
  public static void main(String[] args) throws Exception {
    String host = args.length > 0 ? args[0] : "127.0.0.1";
    int port = Integer.parseInt(args.length > 1 ? args[1] : "27018");
    String file = args.length > 2 ? args[2] : "mongo.mv.db";
    H2Backend backend = new H2Backend(file);
    MongoServer server = new MongoServer(backend);
    server.bind(host, port);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdownNow();
      backend.close();
    }));
    System.out.println("mongo-java-server listening on " + host + ":" + port + " with data in " + file);
    // H2 commits on its own timer; commit every second as well so a kill -9 loses at most a second of writes.
    while (true) {
      Thread.sleep(1000);
      backend.commit();
    }
  }
}
