package dev.quench.api.auth;

import dev.quench.api.web.ApiException;
import java.util.Set;
import org.springframework.http.HttpStatus;

/**
 * The authenticated caller of a request.
 *
 * @param keyId  the API key's public id, recorded in events as who asked (never the key itself)
 * @param tenant whose tasks it may see and touch
 * @param scopes what it may do
 */
public record Caller(String keyId, String tenant, Set<String> scopes) {

  public static final String READ = "tasks:read";
  public static final String WRITE = "tasks:write";
  public static final String CANCEL = "tasks:cancel";
  public static final String AUDIT = "audit:read";
  public static final Set<String> ALL_SCOPES = Set.of(READ, WRITE, CANCEL, AUDIT);
  /** The request attribute that holds the caller once its key was checked; absent on requests without a key. */
  public static final String REQUEST_ATTRIBUTE = Caller.class.getName();

  /** @throws ApiException 403 when the key lacks {@code scope} */
  public void require(String scope) {
    if (!scopes.contains(scope)) {
      throw new ApiException(HttpStatus.FORBIDDEN, "insufficient_scope",
          "this API key lacks the scope " + scope, null, false);
    }
  }
}
