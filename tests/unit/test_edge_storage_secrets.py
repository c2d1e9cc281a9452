# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_edge_storage finds every secret in its sections before any validation can fail (section_secrets)."""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils._edge_storage import SECTIONS, section_secrets


def no_log_options(spec, nested=False):
    """(option, nested, aliases) for every no_log option of spec, sub-options included."""
    found = []
    for option, option_spec in spec.items():
        if option_spec.get("no_log"):
            found.append((option, nested, tuple(option_spec.get("aliases") or ())))
        found += no_log_options(option_spec.get("options") or {}, nested=True)
    return found


def test_every_no_log_option_of_a_section_is_a_top_level_option_without_alias():
    """What section_secrets reads: a section spec with an aliased or nested secret would need more."""
    secrets = [entry for _section, module in SECTIONS for entry in no_log_options(module.ARGUMENT_SPEC)]
    assert sorted(secrets) == [("old_passphrase", False, ()), ("passphrase", False, ()),
                               ("share_password", False, ())]


def test_secrets_are_found_in_any_item_whatever_else_it_holds():
    params = {
        "shares": [{"name": 1, "no_such_option": []}, {"share_password": "pw1"}, "not a mapping"],
        "encryption": [{"passphrase": "pp", "old_passphrase": 1234, "enabled": "maybe"}],
        "recording_settings": {"default_disk_id": "SD_DISK"},
        "storage_limits": {"SD_DISK": "2 GiB"},
        "disks": "not a list",
        "purge": ["disks"],
    }
    assert section_secrets(params) == {"pw1", "pp", "1234"}
    assert section_secrets({}) == set()


def test_secrets_in_items_given_as_key_value_text_are_found():
    """Validation turns key=value text into an item, as Ansible does: its secret must be known before that."""
    assert section_secrets({"encryption": "enabled=true passphrase=LongPlain0123"}) == {"LongPlain0123"}
    assert section_secrets({"encryption": ["enabled=true passphrase='two words'"]}) >= {"two words"}
    assert "s3cr&t" in section_secrets({"shares": ["name=nasA share_password=s3cr&t bogus"]})
    # Text that does not parse as key=value still gives up what follows a secret option.
    assert "kept" in section_secrets({"encryption": ['passphrase="kept" "unbalanced']})
    # Ansible's list conversion splits text at commas: the secret is found whole and split.
    assert {"a,b", "a"} <= section_secrets({"encryption": "enabled=true passphrase=a,b"})
