"""Each signature keeps its evidence: the text's version and hash, address, browser, channel.

Signatures made before were all made on the clinic's tablet: their channel is "in clinic", and
their text's version and hash are those of the text they point at.
"""

import hashlib

from django.db import migrations, models


def _sha256(title, body):
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


def fill_consent_evidence(apps, schema_editor):
    Consent = apps.get_model("patients", "Consent")
    HistoricalConsent = apps.get_model("patients", "HistoricalConsent")
    ConsentText = apps.get_model("patients", "ConsentText")
    for text in ConsentText.objects.all():
        evidence = {"text_version": text.version, "text_sha256": _sha256(text.title, text.body)}
        Consent.objects.filter(text=text).update(**evidence)
        HistoricalConsent.objects.filter(text_id=text.pk).update(**evidence)


FIELDS = [
    (
        "channel",
        models.CharField(
            choices=[("in_clinic", "In clinic"), ("portal", "In the portal")],
            default="in_clinic",
            max_length=10,
        ),
    ),
    ("text_version", models.PositiveIntegerField(default=0, editable=False)),
    (
        "text_sha256",
        models.CharField(
            default="", editable=False, max_length=64, verbose_name="SHA-256 of the text signed"
        ),
    ),
    (
        "signed_from_ip",
        models.GenericIPAddressField(blank=True, null=True, verbose_name="signed from address"),
    ),
    ("user_agent", models.CharField(blank=True, max_length=400, verbose_name="signed in browser")),
]


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0009_name_c_index"),
    ]

    operations = [
        *(
            migrations.AddField(model_name=model, name=name, field=field.clone())
            for model in ("consent", "historicalconsent")
            for name, field in FIELDS
        ),
        migrations.RunPython(fill_consent_evidence, migrations.RunPython.noop),
        *(
            migrations.AlterField(model_name=model, name=name, field=field)
            for model in ("consent", "historicalconsent")
            for name, field in [
                ("text_version", models.PositiveIntegerField(editable=False)),
                (
                    "text_sha256",
                    models.CharField(
                        editable=False, max_length=64, verbose_name="SHA-256 of the text signed"
                    ),
                ),
            ]
        ),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.CheckConstraint(
                condition=models.Q(channel__in=["in_clinic", "portal"]),
                name="consent_channel_valid",
            ),
        ),
    ]
