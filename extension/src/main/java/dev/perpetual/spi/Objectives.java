package dev.perpetual.spi;

import java.math.BigDecimal;

/** Parses an objective: a percentage such as {@code 99.5%}, or a ratio such as {@code 0.995}, above 0 and below 1. */
final class Objectives {

    static final String ACCEPTED_FORMS = "a percentage above 0 and below 100 such as 99.5%, or a ratio such as 0.995";

    private Objectives() {
    }

    /** The objective as a ratio in (0, 1). */
    static double parse(String value) {
        String text = value.strip();
        boolean percent = text.endsWith("%");
        BigDecimal number;
        try {
            number = new BigDecimal(percent ? text.substring(0, text.length() - 1).strip() : text);
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number", e);
        }
        double ratio = (percent ? number.movePointLeft(2) : number).doubleValue();
        if (!(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException("out of range");
        }
        return ratio;
    }
}
