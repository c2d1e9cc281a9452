#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_continuous_profile
short_description: Declare what an Axis camera records continuously, and to which disk
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Adds or removes one continuous recording profile of an Axis camera. A profile makes the camera
    record all the time, with the given stream options, to a disk (SD card or network share).
  - A profile is identified by its disk (O(disk_id)) and event id (O(event_id)).
  - The camera cannot change a profile. When the declared options differ from the profile's, the
    module removes the profile and adds a new one; check mode shows both steps. The options are
    compared in one canonical form (keys sorted, percent-encoding normalised, numbers and booleans
    as strings), so options written in another order or spelling do not re-create the profile.
  - If the camera rejects the new options after the old profile was removed, the module adds the old
    profile back before failing, so the camera keeps recording as before.
  - The camera holds a fixed number of profiles (C(Properties.LocalStorage.NbrOfContinuousRecordingProfiles),
    often one). When all are taken by other profiles, the module fails before any change and names the
    profile that holds the slot; O(exclusive=true) removes the profiles not declared here.
  - Needs C(Properties.LocalStorage.ContinuousRecording=yes); other cameras fail with a clear
    "not supported" message.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
options:
  disk_id:
    description:
      - The disk to record to, as the camera names it, for example V(SD_DISK) or V(NetworkShare).
      - Adding a profile for a disk the camera does not have fails before any change, listing the
        camera's disks.
    type: str
    required: true
    aliases: [disk]
  event_id:
    description:
      - The event id that classifies the recordings of the profile; recordings are listed by it.
      - Together with O(disk_id) it identifies the profile.
    type: str
    default: continuous
  options:
    description:
      - "The stream options to record with, as a mapping such as C({resolution: 1280x720, fps: 15}) or as a
        string such as V(resolution=1280x720&fps=15)."
      - The string may be percent-encoded, as a whole (as in
        a request URL, V(resolution%3D1280x720%26fps%3D15)) or per value (V(text=Hello%20World)).
      - In a mapping, numbers become their digits and booleans V(1) or V(0) (the spelling of switches
        such as C(audio)); quote a value to send it as written. Each key may be given once.
      - What the camera is sent, and what is compared, is the canonical form C(key=value) pairs sorted
        by key and joined by C(&), values percent-encoded except letters, digits and C(-_.~,:).
      - Checked before any request where the camera would refuse it. Refused are a string of blanks only, a
        key without a value, a C(%) not followed by two hex digits, a key other than letters, digits and
        C(_), and a malformed C(resolution) (C(WxH)), C(fps) or C(compression) (0 to 100).
      - Required with O(state=present).
    type: raw
  state:
    description:
      - V(present) makes sure the profile exists with O(options) (adding it, or re-creating it when its
        options differ).
      - V(absent) removes every profile with this O(disk_id) and O(event_id); O(options) is not needed.
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description:
      - When V(true), every other continuous recording profile of the camera (another disk or event id)
        is removed first, which also frees the slots for this one.
      - Run it with C(--check) first to see what would be removed.
    type: bool
    default: false
notes:
  - Removing a profile stops its recording; the recordings already made stay on the disk.
  - When the camera holds several profiles with the same disk and event id (made by other tools), the one
    with the declared options is kept and the others are removed.
seealso:
  - module: vapix.edge_storage.axis_recording_group
  - module: vapix.edge_storage.axis_storage_limit
"""

EXAMPLES = r"""
- name: Record continuously to the SD card
  hosts: cameras
  gather_facts: false
  module_defaults:
    group/vapix.edge_storage.vapix:
      hostname: "{{ ansible_host }}"
      username: "{{ vapix_user }}"
      password: "{{ vapix_password }}"
      ca_path: /etc/ssl/certs/axis-ca.pem
  tasks:
    - name: 720p at 15 fps, the only continuous profile on the camera
      vapix.edge_storage.axis_continuous_profile:
        disk_id: SD_DISK
        event_id: continuous_sd
        options:
          resolution: 1280x720
          fps: 15
        exclusive: true

    - name: The same profile written as a string (no change on a second run)
      vapix.edge_storage.axis_continuous_profile:
        disk_id: SD_DISK
        event_id: continuous_sd
        options: fps=15&resolution=1280x720

    - name: Stop recording continuously to the network share
      vapix.edge_storage.axis_continuous_profile:
        disk_id: NetworkShare
        event_id: continuous_nas
        state: absent
"""

RETURN = r"""
steps:
  description:
    - The changes made, in order (in check mode, the changes that would be made). Empty when nothing changed.
  returned: always
  type: list
  elements: str
  sample:
    - "remove continuous recording profile 1 (disk SD_DISK, event id continuous_sd, options resolution=640x480)
      to re-create it with options fps=15&resolution=1280x720 (a profile cannot be changed)"
    - "add continuous recording profile on disk SD_DISK, event id continuous_sd, options fps=15&resolution=1280x720
      (replaces the removed profile: a profile cannot be changed)"
before:
  description:
    - The profile before the run, keyed by C(continuous profile <disk_id>/<event_id>), with C(disk_id),
      C(event_id), C(options) (canonical form) and C(state).
    - With O(exclusive=true) also the other profiles, keyed by C(continuous profiles other than continuous
      profile <disk_id>/<event_id>) and then by C(profile <number>).
  returned: always
  type: dict
  sample:
    continuous profile SD_DISK/continuous_sd:
      disk_id: SD_DISK
      event_id: continuous_sd
      options: resolution=640x480
      state: present
after:
  description:
    - The profile after the run as the camera reports it (in check mode, as predicted), in the shape of
      RV(before).
  returned: always
  type: dict
  sample:
    continuous profile SD_DISK/continuous_sd:
      disk_id: SD_DISK
      event_id: continuous_sd
      options: fps=15&resolution=1280x720
      state: present
diff:
  description: RV(before) and RV(after), for C(--diff).
  returned: in diff mode (C(--diff), or the task keyword C(diff) set to V(true))
  type: dict
  contains:
    before:
      description: Same as RV(before).
      type: dict
      returned: always
    after:
      description: Same as RV(after).
      type: dict
      returned: always
requests:
  description: Number of HTTP requests sent to the camera.
  returned: always
  type: int
  sample: 4
"""
