package dev.recycling.analytics.web;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.RequestFacade;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;
import org.jspecify.annotations.Nullable;

/**
 * The counts a request holds on Tomcat, which compares the headers a count's key is made from
 * as Tomcat received them, byte by byte, without making strings of them.
 * <p>
 * {@link HttpServletRequest#getHeader(String)} decodes a header into a new string on its first
 * read in a request (a thread-local decoder, a char buffer and a copy): for the five headers of
 * an {@link ApiUsage} count's key, about half of the count's own time in a profile of the sample
 * shop. The key's memo only needs to know whether they are the values it saw before. Tomcat
 * decodes a header's bytes as ISO-8859-1, one character per byte, so a header that is still
 * bytes in that charset equals a value when each byte is the value's character; any other
 * header (decoded already, or in another charset) is compared as the string
 * {@code getHeader} returns. The headers are compared in one pass over those received, each
 * name against the names sought by its length first, where {@code getHeader} looks through
 * them once a name. Names and values are compared as given first, a word at a time: with the
 * bytes {@link ExpectedHeaders} holds, or a name as a string once Tomcat has made one of it; a
 * name in another case than the one expected is then compared ignoring case.
 * <p>
 * It reads the Tomcat request behind the servlet API's facade through a field of the facade's,
 * which {@link #of} looks up once; where it cannot (a Tomcat without that field, a module
 * that does not open it), requests are read through {@code getHeader}, as on other servers.
 *
 * @author recycling team
 */
final class TomcatPendingUsage extends ServletPendingUsage {

	private static final @Nullable VarHandle FACADE_REQUEST = facadeRequest();

	private final MimeHeaders headers;

	private TomcatPendingUsage(HttpServletRequest received, MimeHeaders headers) {
		super(received);
		this.headers = headers;
	}

	/**
	 * Make the counts of a request Tomcat received.
	 * @param received the request as the server received it
	 * @return its pending usage, or {@code null} if it is not Tomcat's or Tomcat's request
	 * behind it cannot be read (typed as the superclass, so that loading
	 * {@link ServletPendingUsage} on another server does not need this class checked)
	 */
	static @Nullable ServletPendingUsage of(HttpServletRequest received) {
		if (FACADE_REQUEST == null || !(received instanceof RequestFacade facade)) {
			return null;
		}
		Request request = (Request) FACADE_REQUEST.get(facade);
		return (request != null) ? new TomcatPendingUsage(received, request.getCoyoteRequest().getMimeHeaders())
				: null;
	}

	@Override
	boolean receivedHeadersEqual(ExpectedHeaders expected) {
		int size = expected.size();
		if (size > Integer.SIZE) {
			return super.receivedHeadersEqual(expected);
		}
		// one pass over the headers as received; bit i: the first header with expected name i was seen
		int seen = 0;
		int headers = this.headers.size();
		for (int header = 0; header < headers; header++) {
			MessageBytes name = this.headers.getName(header);
			int length = name.getLength();
			for (int i = 0; i < size; i++) {
				if ((seen & (1 << i)) == 0 && expected.name(i).length() == length && isName(name, expected, i)) {
					if (!isValue(this.headers.getValue(header), expected, i)) {
						return false;
					}
					seen |= 1 << i;
				}
			}
		}
		for (int i = 0; i < size; i++) {
			if ((seen & (1 << i)) == 0 && expected.value(i) != null) {
				return false;
			}
		}
		return true;
	}

	// whether a header's name as received is the name expected: as given (its bytes, or the
	// string Tomcat made of them once something listed the names), or in another case
	private static boolean isName(MessageBytes name, ExpectedHeaders expected, int index) {
		int type = name.getType();
		if (type == MessageBytes.T_BYTES) {
			ByteChunk bytes = name.getByteChunk();
			byte[] given = expected.nameBytes(index);
			if (Arrays.equals(bytes.getBuffer(), bytes.getStart(), bytes.getEnd(), given, 0, given.length)) {
				return true;
			}
		}
		else if (type == MessageBytes.T_STR && expected.name(index).equals(name.getString())) {
			return true;
		}
		return name.equalsIgnoreCase(expected.name(index));
	}

	// whether a header's value as received is what getHeader would return for it
	private static boolean isValue(MessageBytes header, ExpectedHeaders expected, int index) {
		String value = expected.value(index);
		if (header.getType() == MessageBytes.T_NULL) {
			return value == null;
		}
		if (value == null) {
			return false;
		}
		ByteChunk bytes = header.getByteChunk();
		if (header.getType() != MessageBytes.T_BYTES || bytes.getCharset() != StandardCharsets.ISO_8859_1) {
			return value.equals(header.toStringType());
		}
		// decoded as ISO-8859-1, one character per byte: equal if the bytes are the value's
		byte[] latin1 = expected.valueBytes(index);
		return latin1 != null
				&& Arrays.equals(bytes.getBuffer(), bytes.getStart(), bytes.getEnd(), latin1, 0, latin1.length);
	}

	private static @Nullable VarHandle facadeRequest() {
		try {
			return MethodHandles.privateLookupIn(RequestFacade.class, MethodHandles.lookup())
				.findVarHandle(RequestFacade.class, "request", Request.class);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
