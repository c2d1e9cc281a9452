#!/usr/bin/python
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: report_files
short_description: Write report files into a directory of the controller in one task
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Writes text files, given as file name and content, into one directory of the controller - the audit
    and inventory reports of C(playbooks/audit.yml) and C(playbooks/report.yml), for example. It replaces a
    directory task and a loop of copy tasks, and starts no module process.
  - The directory O(dest) is created, with its missing parents, when it does not exist.
  - A file is written only when its content differs from what the file holds; when only its mode differs,
    the mode is set and the file is left as it is. A file is written to a temporary file in O(dest), synced
    to disk and renamed over the old one, so a reader sees either the old or the new file, never part of
    one; after a failed write no temporary file is left behind.
  - Every file name, O(mode) and O(directory_mode) is checked before anything is written; one bad name
    fails the task with nothing written.
  - This is not a camera module - it takes no connection options and is not part of the action group
    C(group/vapix.edge_storage.vapix), so it has no C(action_group) attribute.
attributes:
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
    details:
      - The whole task runs on the controller, in the worker process of C(ansible-playbook); the files are written
        there, whichever host the task runs for.
  async:
    description: Supports being used with the C(async) keyword.
    support: none
    details:
      - A task with C(async) fails and says so.
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying the files.
    support: full
    details:
      - Nothing is written and no directory is created; C(changed) and each file's C(changed) in RV(files)
        say what a real run would write.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
    details:
      - Reports can be large; RV(files) says which files changed and their sizes.
  idempotent:
    description:
      - When run twice in a row outside check mode, with the same arguments, the second invocation indicates no change.
    support: full
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
options:
  dest:
    description:
      - The directory on the controller the files go into, as an absolute path (a relative path is refused,
        since it would depend on where C(ansible-playbook) was started); for example
        C({{ playbook_dir }}/reports).
      - Created when missing, with its missing parents, with O(directory_mode). The mode of a directory that
        exists is left as it is.
    type: path
    required: true
  files:
    description:
      - The files to write, each as its file name and its content (text, written UTF-8 encoded).
      - A name is a plain file name in O(dest) - not empty, without C(/) or a NUL character, not C(.) or C(..).
      - Render structured data first, for example with P(ansible.builtin.to_nice_json#filter).
      - The contents are not repeated in the result; C(invocation) shows each content's length in characters
        instead.
    type: dict
    required: true
  mode:
    description:
      - The permissions of every file written, as an octal number in quotes.
    type: raw
    default: "0644"
  directory_mode:
    description:
      - The permissions of O(dest) and of each parent directory the task creates, as an octal number in
        quotes.
    type: raw
    default: "0755"
notes:
  - >-
    Run it in a C(hosts: localhost) play (or with C(delegate_to: localhost)) - the files are written on the
    controller in any case, and a localhost play says so.
  - >-
    Give the task C(check_mode: false) to have a C(--check) run still write its report, as the audit
    playbook does.
seealso:
  - module: ansible.builtin.copy
"""

EXAMPLES = r"""
- name: Write the audit report as JSON, JUnit XML and HTML
  vapix.edge_storage.report_files:
    dest: "{{ playbook_dir }}/reports/audit"
    files:
      audit.json: "{{ audit_report | ansible.builtin.to_nice_json(sort_keys=false) }}"
      audit.xml: "{{ audit_report | vapix.edge_storage.report_junit }}"
      audit.html: "{{ audit_report | vapix.edge_storage.report_html }}"
  check_mode: false
  register: written

- name: Keep a summary readable to the owner only
  vapix.edge_storage.report_files:
    dest: /var/lib/camera-reports
    mode: "0600"
    directory_mode: "0700"
    files:
      summary.txt: "{{ audit_report | vapix.edge_storage.report_summary | join('\n') }}\n"
"""

RETURN = r"""
dest:
  description: The directory the files are in.
  returned: when the arguments are valid
  type: str
  sample: /srv/reports/audit
files:
  description:
    - One entry per file of O(files), in the order given - C(name), C(path), C(changed) (written, or its mode
      set; in check mode, would be) and C(size) (bytes of its content).
    - When writing failed, the files handled before the failure.
  returned: when the arguments are valid
  type: list
  elements: dict
  sample:
    - name: audit.json
      path: /srv/reports/audit/audit.json
      changed: true
      size: 18734
msg:
  description:
    - What went wrong and, where it can be told, what to do about it. Secrets are masked.
  returned: failure
  type: str
"""
