package dev.quench.events;

/**
 * What a running handler last said about how far it got.
 *
 * @param percent 0 to 100, or null when the handler cannot tell
 * @param stage   a short machine-friendly stage name, or null
 * @param message a human sentence, or null
 */
public record Progress(Integer percent, String stage, String message) {

  public Progress {
    if (percent != null && (percent < 0 || percent > 100)) {
      throw new IllegalArgumentException("percent must be within 0..100, was " + percent);
    }
  }
}
