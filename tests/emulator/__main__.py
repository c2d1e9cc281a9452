"""python3 -m tests.emulator --port PORT [--count N] [--profile NAME] [--latency-ms MS]
                             [--tls] [--host 127.0.0.1] [--users root:pass:admin,...]
                             [--job-polls N] [--job-seconds S]

Prints one line per camera with its URL, then serves until SIGTERM/SIGINT."""

import argparse
import signal
import sys
import threading

from .fleet import EmulatorFleet
from .profiles import PROFILES


def parse_users(text):
    users = {}
    for item in text.split(","):
        parts = item.split(":")
        if len(parts) != 3 or parts[2] not in ("admin", "operator", "viewer"):
            raise argparse.ArgumentTypeError("users: NAME:PASSWORD:admin|operator|viewer,...")
        users[parts[0]] = (parts[1], parts[2])
    return users


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m tests.emulator",
                                 description="Emulated Axis camera fleet (VAPIX edge storage).")
    ap.add_argument("--port", type=int, required=True,
                    help="port of the first camera (0 with --count 1: any free port)")
    ap.add_argument("--count", type=int, default=1, help="number of cameras (consecutive ports)")
    ap.add_argument("--profile", default="modern", choices=sorted(PROFILES))
    ap.add_argument("--latency-ms", type=int, default=0, help="added latency per request")
    ap.add_argument("--tls", action="store_true", help="serve HTTPS with a generated CA")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--users", type=parse_users, default=None,
                    help="replace the default users: NAME:PASSWORD:LEVEL,...")
    ap.add_argument("--job-polls", type=int, default=3, help="job.cgi polls until a job ends")
    ap.add_argument("--job-seconds", type=float, default=30.0,
                    help="a job also ends after this many seconds (0: only by polling)")
    args = ap.parse_args(argv)
    if args.port == 0 and args.count != 1:
        ap.error("--port 0 is only allowed with --count 1")
    fleet = EmulatorFleet(count=args.count, base_port=args.port, profile=args.profile,
                          latency_ms=args.latency_ms, tls=args.tls, host=args.host,
                          users=args.users, job_polls=args.job_polls,
                          job_seconds=args.job_seconds or None)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        fleet.start()
    except OSError as err:
        print("emulator: cannot listen: %s" % err, file=sys.stderr, flush=True)
        return 1
    if fleet.ca_path:
        print("ca: %s" % fleet.ca_path, flush=True)
    for i, cam in enumerate(fleet.cameras):
        print("camera %d: %s profile=%s" % (i, cam.url, args.profile), flush=True)
    try:
        while not stop.wait(1.0):
            pass
    finally:
        fleet.stop()
    print("emulator: stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
