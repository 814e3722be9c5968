package dev.dockerflow.helidon;

import io.helidon.common.security.SecurityContext;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import java.security.Principal;
import java.util.Optional;

/**
 * What an authentication filter does in a Helidon application: puts a security context
 * with the user's principal into the request context. Here the user is whoever the
 * given header names.
 */
final class TestSecurity {

    private TestSecurity() {
    }

    record User(String name) implements Principal {
        @Override
        public String getName() {
            return name;
        }
    }

    record Context(Optional<Principal> userPrincipal) implements SecurityContext<Principal> {
        @Override
        public boolean isAuthenticated() {
            return userPrincipal.isPresent();
        }

        @Override
        public boolean isAuthorized() {
            return true;
        }

        @Override
        public Optional<Principal> servicePrincipal() {
            return Optional.empty();
        }
    }

    static Filter authenticateFrom(String header) {
        return (chain, req, res) -> {
            req.headers().first(HeaderNames.create(header))
                    .ifPresent(user -> req.context().register(new Context(Optional.of(new User(user)))));
            chain.proceed();
        };
    }
}
