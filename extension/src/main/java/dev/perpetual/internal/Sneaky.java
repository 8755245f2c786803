package dev.perpetual.internal;

/** Rethrows any throwable unchanged, so a checked exception from test code keeps its type. */
final class Sneaky {

    private Sneaky() {
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> T rethrow(Throwable throwable) throws T {
        throw (T) throwable;
    }
}
