package dev.quench.api.tasks;

import dev.quench.api.capabilities.CapabilityCatalog;
import dev.quench.api.capabilities.InputSchema;
import dev.quench.api.web.ApiException;
import dev.quench.kafka.callbacks.CallbackAddresses;
import org.springframework.http.HttpStatus;

/**
 * Whether a submission may be recorded: by what workers announced (its capability, and its input's schema), and by
 * the address rules its callback must follow.
 */
final class SubmissionCheck {

  private final CapabilityCatalog capabilities;
  private final CallbackAddresses callbacks;

  SubmissionCheck(CapabilityCatalog capabilities, CallbackAddresses callbacks) {
    this.capabilities = capabilities;
    this.callbacks = callbacks;
  }

  /**
   * Refuses, before anything is recorded, a submission of a capability no worker announced, or whose input breaks
   * the schema it was announced with. Only a submission about to be recorded is checked: a retry of a recorded one
   * gets its first answer, whatever was announced since.
   */
  void admit(TaskCommands.Submission submission) {
    if (submission.callback() != null) {
      try {
        // Resolved here as the deliverer will when it sends (and checks again): a URL refused now never gets recorded.
        callbacks.check(submission.callback().url());
      } catch (CallbackAddresses.Refused e) {
        throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid_callback_url", e.getMessage(),
            "callback.url", false);
      }
    }
    CapabilityCatalog.Capability capability = capabilities.find(submission.capability());
    if (capability == null) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "unknown_capability", "no worker serves capability '"
          + submission.capability() + "'; announced: " + capabilities.names(), submission.capabilityField(), false);
    }
    if (capability.schema() == null) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "capability_unavailable", "capability '"
          + submission.capability() + "' was announced with an input schema this api cannot use; an operator must "
          + "fix its handler", submission.capabilityField(), true);
    }
    InputSchema.Violation violation = capability.schema().check(submission.input());
    if (violation != null) {
      String field = submission.inputField().isEmpty() ? violation.path() : violation.path().isEmpty()
          ? submission.inputField() : submission.inputField() + "." + violation.path();
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid_input", (field.isEmpty() ? "" : field + ": ")
          + violation.message() + " (by the input schema of capability '" + submission.capability() + "')",
          field.isEmpty() ? null : field, false);
    }
  }
}
