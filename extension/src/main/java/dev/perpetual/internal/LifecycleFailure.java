package dev.perpetual.internal;

import java.lang.reflect.Method;
import java.util.concurrent.TimeoutException;

import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * A failure of a {@code @BeforeEach} or {@code @AfterEach} method, named where it happened:
 * {@code in @BeforeEach registerOwner: …}. Its cause is the failure itself, which decides the outcome.
 */
final class LifecycleFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private LifecycleFailure(String message, Throwable cause) {
        super(message, cause, false, true);
        setStackTrace(cause.getStackTrace());
    }

    /**
     * {@code thrown} named with the {@code kind} method of {@code testClass} (or of a class it extends or is nested
     * in) it came from; as it is when it says something else than a failure (an assumption, a timeout, the JVM's).
     */
    static Throwable named(Class<? extends java.lang.annotation.Annotation> kind, Class<?> testClass,
            Throwable thrown) {
        if (thrown instanceof TestAbortedException || thrown instanceof TimeoutException
                || thrown instanceof VirtualMachineError || thrown instanceof LifecycleFailure) {
            return thrown;
        }
        String message = thrown.getMessage() == null ? thrown.toString() : thrown.getMessage();
        return new LifecycleFailure("in @" + kind.getSimpleName() + " " + methodOf(kind, testClass, thrown) + ": "
                + message, thrown);
    }

    /** The {@code kind} method on {@code thrown}'s stack, nearest the failure first; or {@code a method}. */
    private static String methodOf(Class<? extends java.lang.annotation.Annotation> kind, Class<?> testClass,
            Throwable thrown) {
        for (StackTraceElement frame : thrown.getStackTrace()) {
            for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
                for (Class<?> declaring = type; declaring != null; declaring = declaring.getSuperclass()) {
                    if (declaring.getName().equals(frame.getClassName())) {
                        for (Method method : declaring.getDeclaredMethods()) {
                            if (method.getName().equals(frame.getMethodName())
                                    && AnnotationSupport.isAnnotated(method, kind)) {
                                return method.getName();
                            }
                        }
                    }
                }
            }
        }
        return "a method";
    }
}
