/*
 * A small HTTP/1.1 service in C for slo-gate's compiled-binary example: the standard health check at
 * /health, a ~3 ms endpoint (/items) and a ~1 ms lookup (/items/<id>). One thread per connection, with
 * keep-alive, pipelining and `Connection: close`; requests are bounded in size and nothing is allocated
 * per request.
 *
 *     cc -O2 -Wall -Wextra -pthread -o server server.c
 *     PORT=8933 ./server
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* The request line and headers must fit in this many bytes, or the answer is 431. */
#define MAX_HEAD_BYTES 8192
/* Request bodies are read and thrown away (no endpoint takes one), up to this many bytes, or 413. */
#define MAX_BODY_BYTES (1024 * 1024)
/* More connections at once than this are answered 503 and closed. */
#define MAX_CONNECTIONS 512
/* A connection that sends nothing for this long is closed. */
#define IDLE_TIMEOUT_S 30
#define ITEM_COUNT 50
#define MAX_RESPONSE_BYTES 4096

static char health_body[256];
static char items_body[2048];
static char item_bodies[ITEM_COUNT][128];
static atomic_int open_connections;

struct request {
  char method[16];
  char path[1024];
  int keep_alive;
  long content_length;
};

static void sleep_ms(long ms) {
  struct timespec left = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
}

/* Writes it all: send() may take only part of it. */
static int send_all(int fd, const char *data, size_t length) {
  while (length > 0) {
    ssize_t sent = send(fd, data, length, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    data += sent;
    length -= (size_t)sent;
  }
  return 0;
}

/*
 * One response in one send: a header and a body in two small writes would meet Nagle's algorithm and the
 * client's delayed ACK, and wait 40 ms.
 */
static int respond(int fd, int status, const char *reason, const char *body, int keep_alive, int head_only) {
  char response[MAX_RESPONSE_BYTES];
  size_t body_length = strlen(body);
  int length = snprintf(response, sizeof response,
                        "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                        "%sConnection: %s\r\n\r\n%s",
                        status, reason, body_length, status == 405 ? "Allow: GET, HEAD\r\n" : "",
                        keep_alive ? "keep-alive" : "close", head_only ? "" : body);
  if (length < 0 || (size_t)length >= sizeof response) return -1;
  return send_all(fd, response, (size_t)length);
}

/*
 * Where the head (request line and headers) ends, just past its blank line; 0 while it is incomplete.
 * Bytes before `from` were searched already.
 */
static size_t head_length(const char *buffer, size_t from, size_t used) {
  for (size_t i = from < 3 ? 3 : from; i < used; i++) {
    if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r') {
      return i + 1;
    }
  }
  return 0;
}

static int has_token(const char *value, const char *token) {
  size_t token_length = strlen(token);
  for (const char *at = value; *at;) {
    while (*at == ' ' || *at == '\t' || *at == ',') at++;
    size_t length = strcspn(at, ", \t");
    if (length == token_length && strncasecmp(at, token, length) == 0) return 1;
    at += length;
  }
  return 0;
}

/*
 * Parses the head in place: it ends with its blank line, then a NUL, and has no NUL before (so every line
 * ends with CRLF). Returns 0, or the status to answer with before closing the connection.
 */
static int parse_head(char *head, struct request *request) {
  char *line_end = strstr(head, "\r\n");
  *line_end = '\0';
  char *method = head;
  char *target = strchr(method, ' ');
  if (target == NULL) return 400;
  *target++ = '\0';
  char *version = strchr(target, ' ');
  if (version == NULL) return 400;
  *version++ = '\0';
  size_t method_length = strlen(method);
  if (method_length == 0 || method_length >= sizeof request->method) return 400;
  if (strspn(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != method_length) return 400;
  if (target[0] != '/' || strlen(target) >= sizeof request->path) return 400;
  if (strcmp(version, "HTTP/1.1") == 0) {
    request->keep_alive = 1;
  } else if (strcmp(version, "HTTP/1.0") == 0) {
    request->keep_alive = 0;
  } else {
    return strncmp(version, "HTTP/", 5) == 0 ? 505 : 400;
  }
  memcpy(request->method, method, method_length + 1);
  target[strcspn(target, "?#")] = '\0';
  strcpy(request->path, target);
  request->content_length = -1;

  int close_asked = 0;
  int keep_alive_asked = 0;
  for (char *line = line_end + 2; strncmp(line, "\r\n", 2) != 0;) {
    line_end = strstr(line, "\r\n");
    *line_end = '\0';
    char *colon = strchr(line, ':');
    /* No colon, or a folded line (obsolete, and a way to smuggle headers): refuse. */
    if (colon == NULL || colon == line || line[0] == ' ' || line[0] == '\t') return 400;
    *colon = '\0';
    char *value = colon + 1;
    value += strspn(value, " \t");
    char *end = value + strlen(value);
    while (end > value && (end[-1] == ' ' || end[-1] == '\t')) *--end = '\0';
    if (strcasecmp(line, "Connection") == 0) {
      close_asked |= has_token(value, "close");
      keep_alive_asked |= has_token(value, "keep-alive");
    } else if (strcasecmp(line, "Content-Length") == 0) {
      size_t digits = strspn(value, "0123456789");
      if (digits == 0 || digits > 9 || value[digits] != '\0') return 400;
      long length = strtol(value, NULL, 10);
      if (request->content_length != -1 && request->content_length != length) return 400;
      if (length > MAX_BODY_BYTES) return 413;
      request->content_length = length;
    } else if (strcasecmp(line, "Transfer-Encoding") == 0) {
      /* Chunked bodies are not read: without one, the next request's start is unknown. */
      return 501;
    }
    line = line_end + 2;
  }
  if (request->content_length == -1) request->content_length = 0;
  if (close_asked) request->keep_alive = 0;
  else if (keep_alive_asked) request->keep_alive = 1;
  return 0;
}

/* For "/items/<id>" (1 to 9 digits): the item's index, or -1 when there is none. -2 for any other path. */
static int item_index(const char *path) {
  if (strncmp(path, "/items/", 7) != 0) return -2;
  const char *digits = path + 7;
  size_t count = strspn(digits, "0123456789");
  if (count == 0 || count > 9 || digits[count] != '\0') return -2;
  long id = strtol(digits, NULL, 10);
  return id >= 1 && id <= ITEM_COUNT ? (int)id - 1 : -1;
}

static int route(int fd, const struct request *request) {
  int head_only = strcmp(request->method, "HEAD") == 0;
  int readable = head_only || strcmp(request->method, "GET") == 0;
  int keep_alive = request->keep_alive;
  int index = item_index(request->path);
  int known = strcmp(request->path, "/health") == 0 || strcmp(request->path, "/items") == 0 || index != -2;
  if (!known) return respond(fd, 404, "Not Found", "{\"error\":\"not found\"}", keep_alive, head_only);
  if (!readable) {
    return respond(fd, 405, "Method Not Allowed", "{\"error\":\"method not allowed\"}", keep_alive, 0);
  }
  if (strcmp(request->path, "/health") == 0) {
    return respond(fd, 200, "OK", health_body, keep_alive, head_only);
  }
  if (strcmp(request->path, "/items") == 0) {
    sleep_ms(3); /* as if it queried a database */
    return respond(fd, 200, "OK", items_body, keep_alive, head_only);
  }
  sleep_ms(1);
  if (index < 0) return respond(fd, 404, "Not Found", "{\"error\":\"not found\"}", keep_alive, head_only);
  return respond(fd, 200, "OK", item_bodies[index], keep_alive, head_only);
}

/*
 * Closes after a last answer without losing it: close() with unread input sends a reset, which can
 * discard the answer before the client reads it. So stop writing, read what is left for a moment, then close.
 */
static void close_gracefully(int fd) {
  shutdown(fd, SHUT_WR);
  struct timeval linger = {1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &linger, sizeof linger);
  char scratch[4096];
  size_t drained = 0;
  ssize_t got;
  while (drained < 65536 && (got = recv(fd, scratch, sizeof scratch, 0)) > 0) drained += (size_t)got;
  close(fd);
}

/* Reads and throws away `length` bytes of a body. */
static int discard(int fd, long length) {
  char scratch[4096];
  while (length > 0) {
    ssize_t got = recv(fd, scratch, length < (long)sizeof scratch ? (size_t)length : sizeof scratch, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return -1;
    length -= got;
  }
  return 0;
}

static void *serve_connection(void *argument) {
  int fd = (int)(intptr_t)argument;
  /* Bytes read and not yet handled: the next request's head, and maybe more (pipelining). +1 for a NUL. */
  char buffer[MAX_HEAD_BYTES + 1];
  size_t used = 0;
  for (;;) {
    size_t length;
    size_t searched = 0;
    while ((length = head_length(buffer, searched, used)) == 0) {
      searched = used;
      if (used == MAX_HEAD_BYTES) {
        respond(fd, 431, "Request Header Fields Too Large", "{\"error\":\"request head too large\"}", 0, 0);
        goto done;
      }
      ssize_t got = recv(fd, buffer + used, MAX_HEAD_BYTES - used, 0);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) goto done; /* closed by the client, idle timeout, or an error */
      used += (size_t)got;
    }
    char saved = buffer[length];
    buffer[length] = '\0';
    struct request request;
    int refused = memchr(buffer, '\0', length) != NULL ? 400 : parse_head(buffer, &request);
    buffer[length] = saved;
    if (refused != 0) {
      const char *reason = refused == 413   ? "Content Too Large"
                           : refused == 501 ? "Not Implemented"
                           : refused == 505 ? "HTTP Version Not Supported"
                                            : "Bad Request";
      respond(fd, refused, reason, "{\"error\":\"bad request\"}", 0, 0);
      goto done;
    }
    /* The body: what was read with the head, then the rest from the socket. */
    size_t consumed = length + (size_t)request.content_length;
    if (consumed > used) {
      if (discard(fd, (long)(consumed - used)) < 0) goto done;
      consumed = used;
    }
    if (route(fd, &request) < 0 || !request.keep_alive) goto done;
    memmove(buffer, buffer + consumed, used - consumed);
    used -= consumed;
  }
done:
  close_gracefully(fd);
  atomic_fetch_sub(&open_connections, 1);
  return NULL;
}

static void build_bodies(const char *version) {
  snprintf(health_body, sizeof health_body,
           "{\"status\":\"ok\",\"version\":\"%s\",\"dependencies\":{\"db\":\"up\"}}", version);
  size_t used = (size_t)snprintf(items_body, sizeof items_body, "[");
  for (int i = 0; i < ITEM_COUNT; i++) {
    int id = i + 1;
    snprintf(item_bodies[i], sizeof item_bodies[i], "{\"id\":%d,\"name\":\"item %d\",\"price\":%d}", id, id,
             (i * 7) % 100);
    if (i < 20) {
      const char *separator = i > 0 ? "," : "";
      used += (size_t)snprintf(items_body + used, sizeof items_body - used, "%s%s", separator,
                               item_bodies[i]);
    }
  }
  snprintf(items_body + used, sizeof items_body - used, "]");
}

int main(void) {
  const char *port_text = getenv("PORT") ? getenv("PORT") : "8933";
  char *port_end;
  long port = strtol(port_text, &port_end, 10);
  if (*port_text == '\0' || *port_end != '\0' || port < 0 || port > 65535) {
    fprintf(stderr, "server: PORT must be a number from 0 to 65535, got \"%s\"\n", port_text);
    return 2;
  }
  const char *version = getenv("APP_VERSION") ? getenv("APP_VERSION") : "v1.0.0";
  /* It goes into JSON unescaped. */
  int printable = strlen(version) <= 64 && strpbrk(version, "\"\\") == NULL;
  for (const char *at = version; *at; at++) printable &= (unsigned char)*at >= ' ';
  if (!printable) {
    fprintf(stderr, "server: APP_VERSION: at most 64 printable characters, no quotes or backslashes\n");
    return 2;
  }
  build_bodies(version);
  signal(SIGPIPE, SIG_IGN);

  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int on = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t address_length = sizeof address;
  int listening = listener >= 0 && bind(listener, (struct sockaddr *)&address, sizeof address) == 0 &&
                  listen(listener, 128) == 0 &&
                  getsockname(listener, (struct sockaddr *)&address, &address_length) == 0;
  if (!listening) {
    fprintf(stderr, "server: cannot listen on 127.0.0.1:%ld: %s\n", port, strerror(errno));
    return 1;
  }
  printf("listening on http://127.0.0.1:%d (version %s)\n", ntohs(address.sin_port), version);
  fflush(stdout);

  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attributes, 256 * 1024);
  /* SIGTERM's default action ends the process at once: all a stateless service needs. */
  for (;;) {
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE) sleep_ms(10);
      continue;
    }
    struct timeval idle = {IDLE_TIMEOUT_S, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &idle, sizeof idle);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    pthread_t thread;
    if (atomic_fetch_add(&open_connections, 1) >= MAX_CONNECTIONS ||
        pthread_create(&thread, &attributes, serve_connection, (void *)(intptr_t)fd) != 0) {
      /* Closed at once, not gracefully: the accept loop must not wait on one client. */
      respond(fd, 503, "Service Unavailable", "{\"error\":\"too many connections\"}", 0, 0);
      close(fd);
      atomic_fetch_sub(&open_connections, 1);
    }
  }
}
