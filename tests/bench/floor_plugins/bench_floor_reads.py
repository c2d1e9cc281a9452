# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-process floor of tests/bench/fleet_bench.py: an action plugin that only makes the reads a no-op needs.

It sends, in the controller's worker process and over one Digest session,
the same reads our whole-camera no-op makes (param.cgi with the properties
and Storage, the share list, the disk list, API discovery, the storage
limits, the continuous profiles and the recording groups) and nothing else:
no parsing, no planning. No collection can do a no-op for less.
"""

from __future__ import annotations

import json

import requests
from requests.auth import HTTPDigestAuth

from ansible.plugins.action import ActionBase

READS = (
    ("GET", "param.cgi?action=list&group=Properties.LocalStorage,Properties.NetworkShare,Properties.Firmware,"
            "Brand,Storage"),
    ("GET", "disks/networkshare/list.cgi?schemaversion=1&shareid=all"),
    ("GET", "disks/list.cgi?diskid=all"),
    ("POST", "apidiscovery.cgi"),
    ("GET", "record/storage/getlimit.cgi?schemaversion=1"),
    ("GET", "record/continuous/listconfiguration.cgi"),
    ("GET", "record/recording_group/list.cgi?schemaversion=1"),
)


class ActionModule(ActionBase):
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        args = self._task.args
        base = "http://{}:{}/axis-cgi/".format(args["host"], args["port"])
        with requests.Session() as session:
            # The environment (proxies, CA bundle) is not read again for every request, as ours does not.
            session.trust_env = False
            session.auth = HTTPDigestAuth(args.get("username", "root"), args.get("password", "pass"))
            for method, path in READS:
                if method == "POST":
                    answer = session.post(base + path, data=json.dumps({"apiVersion": "1.0", "method": "getApiList"}),
                                          timeout=30)
                else:
                    answer = session.get(base + path, timeout=30)
                answer.raise_for_status()
        return {"changed": False, "requests": len(READS)}
