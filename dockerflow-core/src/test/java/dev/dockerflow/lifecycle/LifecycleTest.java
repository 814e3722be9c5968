package dev.dockerflow.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * A closed {@code Dockerflow} leaves nothing behind: no thread it started, no shutdown
 * hook, and nothing that keeps the class loader of the application that used it alive
 * (a servlet container redeploying the application would otherwise leak it every time).
 */
class LifecycleTest {

    @Test
    void closedInstancesLeaveNoThreadAndTheirClassLoaderIsCollected() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        WeakReference<ClassLoader> loader;
        int served;
        // other tests in this JVM may have left threads of their own: only new ones count
        java.util.Set<Thread> before = java.util.Set.copyOf(Thread.getAllStackTraces().keySet());
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            ChildFirstLoader child = new ChildFirstLoader();
            loader = new WeakReference<>(child);
            served = runInApplication(child);
        } finally {
            System.setOut(original);
        }

        List<String> leftThreads = libraryThreadsBut(before);
        boolean loaderCollected = collected(loader);
        assertThat(loaderCollected).as("the application's class loader is garbage-collected").isTrue();
        // every summary was written before close() returned
        assertThat(stdout.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("request.summary")))
                .hasSize(served);
        assertThat(served).isEqualTo(LifecycleScenario.INSTANCES * 4);
        assertThat(leftThreads).as("threads the library started").isEmpty();
        assertThat(loaderCollected).as("the application's class loader is garbage-collected").isTrue();
    }

    /** Runs the scenario as a container runs an application: its classes and context class loader are the child's. */
    private static int runInApplication(ClassLoader child) throws Exception {
        int[] served = new int[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = Thread.ofPlatform().name("application").unstarted(() -> {
            try {
                Class<?> scenario = child.loadClass(LifecycleScenario.class.getName());
                if (scenario.getClassLoader() != child) {
                    throw new AssertionError("the scenario was not loaded by the application's class loader");
                }
                served[0] = ((IntSupplier) scenario.getDeclaredConstructor().newInstance()).getAsInt();
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        thread.setContextClassLoader(child);
        thread.start();
        thread.join();
        if (failure[0] != null) {
            throw new AssertionError("the scenario failed", failure[0]);
        }
        return served[0];
    }

    private static List<String> libraryThreadsBut(java.util.Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !before.contains(t))
                .map(Thread::getName)
                .filter(name -> name.startsWith("dockerflow"))
                .toList();
    }

    /** Asks for collections until the reference is cleared; gives up after a bounded number of tries. */
    private static boolean collected(WeakReference<?> reference) {
        for (int i = 0; i < 100 && reference.get() != null; i++) {
            System.gc();
            byte[][] pressure = new byte[64][];
            for (int j = 0; j < pressure.length; j++) {
                pressure[j] = new byte[256 * 1024];
            }
        }
        return reference.get() == null;
    }

    /** Loads the library's classes itself (as a web application's loader does), everything else from its parent. */
    private static final class ChildFirstLoader extends URLClassLoader {
        ChildFirstLoader() throws IOException {
            super("application", new URL[] {
                Path.of("target/classes").toUri().toURL(), Path.of("target/test-classes").toUri().toURL()},
                    LifecycleTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.dockerflow.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
