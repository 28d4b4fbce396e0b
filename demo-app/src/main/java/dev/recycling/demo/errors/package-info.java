/**
 * Every error the demo answers, from the server's parser to the application, as an RFC 9457
 * problem response.
 */
@NullMarked
package dev.recycling.demo.errors;

import org.jspecify.annotations.NullMarked;
