# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # How every module of the collection reaches a camera. Each option can come
    # from an environment variable, so AWX/AAP credentials can inject them.
    DOCUMENTATION = r"""
options:
  hostname:
    description:
      - Address of the camera (host name, IPv4 or IPv6 address) the module talks to over HTTP.
      - Only the host; no scheme, path, user or port (use O(port)). An IPv6 address may be given with
        or without brackets, but without a zone id (V(fe80::1%eth0)), which cannot be connected to.
        Checked before the first request.
      - The module runs on the controller, so set it once for a play with C(module_defaults) on the
        C(group/vapix.edge_storage.vapix) action group, for example to C("{{ ansible_host }}").
      - C(delegate_to) does not change the camera. Task arguments are templated with the variables of the
        play's host, so C("{{ ansible_host }}") is still that host's camera; name another camera in
        O(hostname) itself, for example C("{{ hostvars['cam1'].ansible_host }}").
      - Falls back to the E(VAPIX_HOSTNAME) environment variable.
    type: str
    required: true
  port:
    description:
      - TCP port of the camera's web server, 1 to 65535.
      - Defaults to 443 with O(protocol=https) and 80 with O(protocol=http).
      - Falls back to the E(VAPIX_PORT) environment variable.
    type: int
  protocol:
    description:
      - Whether to talk HTTPS (the default, with certificate validation) or plain HTTP.
      - Plain HTTP sends Basic credentials readably; prefer HTTPS outside a lab.
      - Falls back to the E(VAPIX_PROTOCOL) environment variable.
    type: str
    choices: [https, http]
    default: https
  username:
    description:
      - Camera user. Configuration modules need an administrator; the info module works with an operator.
      - Falls back to the E(VAPIX_USERNAME) environment variable.
    type: str
    required: true
  password:
    description:
      - Password of O(username). Never logged or returned.
      - Falls back to the E(VAPIX_PASSWORD) environment variable.
    type: str
    required: true
  auth:
    description:
      - HTTP authentication scheme. Axis firmware defaults to C(digest); C(basic) needs the camera's
        authentication policy to allow it and should only be used over HTTPS.
      - With C(digest) one challenge is answered per module run, then the session is reused.
      - Falls back to the E(VAPIX_AUTH) environment variable.
    type: str
    choices: [digest, basic]
    default: digest
  validate_certs:
    description:
      - Whether to verify the camera's TLS certificate. Only set to V(false) for lab cameras with
        self-signed certificates; prefer O(ca_path).
      - Falls back to the E(VAPIX_VALIDATE_CERTS) environment variable.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the certificate authority that signed the camera's certificate, used instead of
        the system trust store. It must exist.
      - Falls back to the E(VAPIX_CA_PATH) environment variable.
    type: path
  timeout:
    description:
      - Seconds to wait for the camera to answer one request, 1 to 3600. The whole answer (the round
        trip of a Digest challenge included) must have come by then, however slowly the camera sends
        it, or the request fails with C(error_class=timeout). An exported recording only has to begin
        within them; its file may take longer to come whole, as long as no wait for more of it does.
        Looking up a host name is the controller's resolver's work and is not bounded by this time (an
        IP address in O(hostname) needs no lookup).
      - Reads that time out or fail with a server error are retried twice with backoff; writes are never
        retried (a write that timed out may have been carried out by the camera; the error says so).
      - Falls back to the E(VAPIX_TIMEOUT) environment variable.
    type: int
    default: 30
  parallel_reads:
    description:
      - How many reads of one run may be sent to the camera at once, 1 to 8, each on a connection of its
        own. What a plan needs (shares, disks, storage limits, profiles, groups, ...) is read together,
        after the one request that answers the Digest challenge; writes are always sent one at a time.
      - V(1) reads each part of the camera's state when it is needed, one request after the other, for
        a camera that does not cope with several connections at once.
      - Falls back to the E(VAPIX_PARALLEL_READS) environment variable.
    type: int
    default: 4
requirements:
  - python >= 3.11 on the controller
  - requests
  - lxml
notes:
  - >-
    The module runs as an action plugin on the controller and talks HTTP to the camera from there;
    it never connects to the inventory host, so camera hosts need no C(ansible_connection) and no
    interpreter setting. The controller's Python needs C(requests) and C(lxml).
  - >-
    C(async) is not supported (the task fails and says so); long camera jobs are bounded by
    C(job_timeout) where the module has it, and their progress is shown on the controller while they
    run, for example C(cam07: format SD_DISK as ext4 40%).
  - >-
    A connection option given as null or as an empty string counts as not given: its E(VAPIX_*)
    environment variable, else its default, applies. A play can pass variables that may be unset, as
    the collection's role does.
"""
