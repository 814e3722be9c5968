package dev.dockerflow.servlet;

import dev.dockerflow.test.DockerflowConformanceKit;
import javax.security.auth.Subject;
import org.eclipse.jetty.security.AuthenticationState;
import org.eclipse.jetty.security.UserIdentity;
import org.eclipse.jetty.security.UserPrincipal;
import org.eclipse.jetty.security.authentication.LoginAuthenticator;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Jetty's own way of knowing a user: the authentication state on its request, as its authenticators set it. */
final class JettyAuthentication extends Handler.Wrapper {

    JettyAuthentication(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String user = request.getHeaders().get(DockerflowConformanceKit.USER_HEADER);
        if (user != null && !user.isEmpty()) {
            UserIdentity identity = UserIdentity.from(new Subject(), new UserPrincipal(user, null));
            AuthenticationState.setAuthenticationState(request, new LoginAuthenticator.UserAuthenticationSucceeded("kit", identity));
        }
        return super.handle(request, response, callback);
    }
}
