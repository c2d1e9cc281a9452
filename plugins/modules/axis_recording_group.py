#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_recording_group
short_description: Declare the recording groups of an Axis camera and how long their recordings are kept
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Creates, updates and deletes one recording group of an Axis camera through the VAPIX recording group
    API. A group keeps the recordings that recording actions send to it on one disk, for a retention time.
  - The group is identified by O(id). Only the fields you set are compared and sent; a second run with
    the same options changes nothing.
  - The camera cannot move a group to another disk. Changing O(disk_id) of an existing group means
    deleting it and creating it again on the new disk.
  - Deleting a group deletes its recordings, and the API cannot tell a group's recordings apart, so every
    deletion (O(state=absent), O(exclusive=true), a move to another disk) needs O(allow_data_loss=true).
    Without it check mode shows the deletion marked C([destructive; needs allow_data_loss]) and a real run
    refuses it before any write.
  - The camera refuses to delete a group that a recording action refers to (error 140); the module
    reports the camera's reason. When the camera holds its maximum number of groups it refuses a new one
    (error 120); stream options it does not accept fail with error 130.
  - Cameras without the recording group API (it answers 404, for example AXIS OS 5.x) fail with a
    clear "not supported" message.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
options:
  id:
    description:
      - The group's id on the camera; 1 to 50 letters, digits, C(_) or C(-). Checked before any request.
    type: str
    required: true
    aliases: [group_id]
  nice_name:
    description:
      - The group's user-friendly name. The camera uses O(id) when a group is created without one.
    type: str
  description:
    description:
      - A description of the group.
    type: str
  retention:
    description:
      - How long recordings of the group are kept, in hours as a whole number (V(168)), or as a duration
        with units V(w), V(d), V(h), V(m), V(s), for example V(7d), V(36h) or V(1d12h). It must come to a
        whole number of hours (V(90m) is refused).
      - V(0) means the camera keeps them without a time limit. At most ten years (V(87600) hours); the API
        documents no maximum, and a longer retention is a unit mistake.
      - Changing it applies to the existing recordings of the group too.
    type: raw
    aliases: [retention_hours]
  disk_id:
    description:
      - The disk the group records to, for example V(SD_DISK) or V(NetworkShare). Required to create a group;
        a disk the camera does not have fails before any change, listing the camera's disks.
      - The camera cannot change the disk of a group; see O(allow_data_loss).
    type: str
    aliases: [disk]
  stream_options:
    description:
      - "The stream options recordings of the group use, as a mapping such as C({resolution: 1920x1080}) or
        a string such as V(resolution=1920x1080&fps=25), percent-encoded or not."
      - They are compared and sent in a canonical form, as for O(vapix.edge_storage.axis_continuous_profile#module:options),
        pairs sorted by key, values percent-encoded except letters, digits and C(-_.~,:), booleans as V(1)/V(0).
      - V("") (or an empty mapping) clears them. Changing them restarts a recording of the group in progress.
      - Checked before any request as for O(vapix.edge_storage.axis_continuous_profile#module:options).
    type: raw
  pre_duration:
    description:
      - Time before a recording's trigger that is included, in milliseconds as a whole number (V(5000)) or
        as a duration such as V(5s) or V(1500ms). At most one hour (the API documents no maximum).
    type: raw
    aliases: [pre_duration_ms]
  post_duration:
    description:
      - Time after a recording stops that is included, in milliseconds or as a duration like O(pre_duration),
        at most one hour.
    type: raw
    aliases: [post_duration_ms]
  state:
    description:
      - V(present) creates the group or updates the fields that differ.
      - V(absent) deletes the group and all of its recordings (shown as destructive; needs O(allow_data_loss=true)).
    type: str
    choices: [present, absent]
    default: present
  allow_data_loss:
    description:
      - Allow the deletion of recording groups with their recordings - O(state=absent), the other groups with
        O(exclusive=true), and moving an existing group to another O(disk_id) (delete, then create again on
        the new disk keeping its other fields).
      - Without it check mode shows such a deletion marked C([destructive; needs allow_data_loss]) (the task
        is changed and warns), and a real run refuses it before any write.
      - C(allow_recreate) is the old name of this option.
    type: bool
    default: false
    aliases: [allow_recreate]
  exclusive:
    description:
      - When V(true), every other recording group of the camera is deleted first, with its recordings
        (shown as destructive; needs O(allow_data_loss=true)). Run it with C(--check) first.
    type: bool
    default: false
seealso:
  - module: vapix.edge_storage.axis_continuous_profile
  - module: vapix.edge_storage.axis_storage_limit
"""

EXAMPLES = r"""
- name: Keep recordings for a week
  hosts: cameras
  gather_facts: false
  module_defaults:
    group/vapix.edge_storage.vapix:
      hostname: "{{ ansible_host }}"
      username: "{{ vapix_user }}"
      password: "{{ vapix_password }}"
      ca_path: /etc/ssl/certs/axis-ca.pem
  tasks:
    - name: A group on the SD card whose recordings are kept 7 days
      vapix.edge_storage.axis_recording_group:
        id: retention-7d
        nice_name: Seven days
        disk_id: SD_DISK
        retention: 7d
        stream_options:
          resolution: 1920x1080
          fps: 25
        pre_duration: 5s
        post_duration: 10s

    - name: Keep them two weeks from now on (also applies to existing recordings)
      vapix.edge_storage.axis_recording_group:
        id: retention-7d
        retention: 336

    - name: Move the group to the NAS (deletes its recordings on the SD card)
      vapix.edge_storage.axis_recording_group:
        id: retention-7d
        disk_id: NetworkShare
        allow_data_loss: true

    - name: Delete an old group and its recordings
      vapix.edge_storage.axis_recording_group:
        id: old-group
        state: absent
        allow_data_loss: true
"""

RETURN = r"""
steps:
  description:
    - The changes made, in order (in check mode, the changes that would be made). Destructive steps end
      with C([destructive]). Empty when nothing changed.
  returned: always
  type: list
  elements: str
  sample:
    - "delete recording group retention-7d and its recordings to move it from disk SD_DISK to NetworkShare
      (the camera cannot change a group's disk) [destructive]"
    - "create recording group retention-7d: disk_id 'NetworkShare', nice_name 'Seven days', retention_hours 168
      (re-created on disk NetworkShare)"
before:
  description:
    - The group before the run, keyed by C(recording group <id>), with the fields you set and C(state).
      Durations are numbers in the camera's units; C(retention_hours), C(pre_duration_ms) and
      C(post_duration_ms). C(stream_options) is in the canonical form.
    - With O(exclusive=true) also the other groups, keyed by C(recording groups other than <id>) and then
      by group id.
  returned: always
  type: dict
  sample:
    recording group retention-7d:
      disk_id: SD_DISK
      retention_hours: 168
      state: present
after:
  description:
    - The group after the run as the camera reports it (in check mode, as predicted), in the shape of
      RV(before).
  returned: always
  type: dict
  sample:
    recording group retention-7d:
      disk_id: SD_DISK
      retention_hours: 336
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
  sample: 3
needs_allow_data_loss:
  description: The deletions of recording groups planned without O(allow_data_loss), as in RV(steps).
  returned: always
  type: list
  elements: str
"""
