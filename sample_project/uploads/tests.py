import json
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from .models import Upload
from .storage import upload_invoice

# The S3 client is replaced at its source, boto3.client, rather than through
# "uploads.storage.boto3": that keeps the tests independent of where storage
# imports boto3.
patch_s3_client = mock.patch("boto3.client")


@override_settings(INVOICE_BUCKET="test-invoices", INVOICE_REGION="eu-west-1")
class UploadInvoiceTests(TestCase):
    def test_puts_object_in_bucket(self):
        with patch_s3_client as client_factory:
            key = upload_invoice(b"%PDF-1.7 invoice", "invoices/2024-001.pdf")
        self.assertEqual(key, "invoices/2024-001.pdf")
        client_factory.assert_called_once_with("s3", region_name="eu-west-1")
        client_factory.return_value.put_object.assert_called_once_with(
            Bucket="test-invoices",
            Key="invoices/2024-001.pdf",
            Body=b"%PDF-1.7 invoice",
            ContentType="application/pdf",
        )

    def test_retries_flaky_s3(self):
        with (
            patch_s3_client as client_factory,
            mock.patch.object(upload_invoice.retry, "sleep") as sleep,
        ):
            put_object = client_factory.return_value.put_object
            put_object.side_effect = [ConnectionError("reset"), ConnectionError("reset"), {}]
            upload_invoice(b"data", "invoices/flaky.pdf")
        self.assertEqual(put_object.call_count, 3)
        self.assertEqual(sleep.call_count, 2)

    def test_gives_up_after_three_attempts(self):
        with patch_s3_client as client_factory, mock.patch.object(upload_invoice.retry, "sleep"):
            put_object = client_factory.return_value.put_object
            put_object.side_effect = ConnectionError("S3 is down")
            with self.assertRaisesMessage(ConnectionError, "S3 is down"):
                upload_invoice(b"data", "invoices/down.pdf")
        self.assertEqual(put_object.call_count, 3)


class UploadViewTests(TestCase):
    def test_form(self):
        response = self.client.get(reverse("uploads:upload_invoice"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'type="file"')

    def test_upload(self):
        invoice = SimpleUploadedFile("2024-002.pdf", b"%PDF-1.7", "application/pdf")
        with patch_s3_client as client_factory:
            response = self.client.post(reverse("uploads:upload_invoice"), {"file": invoice})
        self.assertRedirects(response, reverse("uploads:upload_list"))
        put_object = client_factory.return_value.put_object
        self.assertEqual(put_object.call_args.kwargs["Key"], "invoices/2024-002.pdf")
        upload = Upload.objects.get()
        self.assertEqual((upload.key, upload.size), ("invoices/2024-002.pdf", 8))

        response = self.client.get(reverse("uploads:upload_list"))
        self.assertContains(response, "invoices/2024-002.pdf")


class SyncInvoicesCommandTests(TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.directory = Path(tmp.name)
        (self.directory / "2024-003.pdf").write_bytes(b"%PDF three")
        (self.directory / "2024-004.pdf").write_bytes(b"%PDF four")
        (self.directory / "notes.txt").write_text("not an invoice")

    def sync(self):
        out = StringIO()
        call_command("sync_invoices", str(self.directory), stdout=out)
        return out.getvalue()

    def test_uploads_new_invoices(self):
        with patch_s3_client as client_factory:
            output = self.sync()
        keys = [c.kwargs["Key"] for c in client_factory.return_value.put_object.call_args_list]
        self.assertEqual(keys, ["invoices/2024-003.pdf", "invoices/2024-004.pdf"])
        self.assertEqual(
            list(Upload.objects.order_by("key").values_list("key", "size")),
            [("invoices/2024-003.pdf", 10), ("invoices/2024-004.pdf", 9)],
        )
        self.assertIn("Uploaded 2 invoice(s), 0 already archived.", output)

    def test_skips_archived_invoices(self):
        Upload.objects.create(key="invoices/2024-003.pdf", size=10)
        with patch_s3_client as client_factory:
            output = self.sync()
        client_factory.return_value.put_object.assert_called_once()
        self.assertIn("Uploaded 1 invoice(s), 1 already archived.", output)

    def test_missing_directory(self):
        with self.assertRaisesMessage(CommandError, "is not a directory"):
            call_command("sync_invoices", str(self.directory / "missing"))


class AccountingSignalTests(TestCase):
    webhook = "https://accounting.example.com/hooks/invoices"

    def test_new_upload_is_posted_after_commit(self):
        with (
            override_settings(INVOICE_WEBHOOK_URL=self.webhook),
            mock.patch("urllib.request.urlopen") as urlopen,
        ):
            with self.captureOnCommitCallbacks(execute=True) as callbacks:
                Upload.objects.create(key="invoices/2024-005.pdf", size=123)
                urlopen.assert_not_called()
        self.assertEqual(len(callbacks), 1)
        request = urlopen.call_args.args[0]
        self.assertEqual(request.full_url, self.webhook)
        self.assertEqual(request.get_method(), "POST")
        self.assertEqual(json.loads(request.data), {"key": "invoices/2024-005.pdf", "size": 123})

    def test_updates_are_not_posted(self):
        upload = Upload.objects.create(key="invoices/2024-006.pdf", size=1)
        with (
            override_settings(INVOICE_WEBHOOK_URL=self.webhook),
            mock.patch("urllib.request.urlopen") as urlopen,
        ):
            with self.captureOnCommitCallbacks(execute=True):
                upload.size = 2
                upload.save()
        urlopen.assert_not_called()

    def test_nothing_is_posted_without_webhook(self):
        with (
            override_settings(INVOICE_WEBHOOK_URL=""),
            mock.patch("urllib.request.urlopen") as urlopen,
        ):
            with self.captureOnCommitCallbacks(execute=True) as callbacks:
                Upload.objects.create(key="invoices/2024-007.pdf", size=1)
        self.assertEqual(callbacks, [])
        urlopen.assert_not_called()

    def test_webhook_failure_does_not_break_the_upload(self):
        with (
            override_settings(INVOICE_WEBHOOK_URL=self.webhook),
            mock.patch("urllib.request.urlopen", side_effect=OSError("connection refused")),
            self.assertLogs("uploads.signals", "WARNING"),
        ):
            with self.captureOnCommitCallbacks(execute=True):
                Upload.objects.create(key="invoices/2024-008.pdf", size=1)
        self.assertTrue(Upload.objects.filter(key="invoices/2024-008.pdf").exists())
