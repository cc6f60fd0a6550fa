from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from uploads.models import Upload
from uploads.storage import upload_invoice


class Command(BaseCommand):
    help = "Upload the invoice files in DIRECTORY that are not in the S3 archive yet."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--prefix", default="invoices/", help="S3 key prefix")
        parser.add_argument("--pattern", default="*.pdf", help="file name pattern")

    def handle(self, *args, directory, prefix, pattern, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory")
        uploaded = skipped = 0
        for path in sorted(directory.glob(pattern)):
            key = prefix + path.name
            if Upload.objects.filter(key=key).exists():
                skipped += 1
                continue
            data = path.read_bytes()
            upload_invoice(data, key)
            Upload.objects.create(key=key, size=len(data))
            uploaded += 1
            if options["verbosity"] >= 2:
                self.stdout.write(f"uploaded {key}")
        self.stdout.write(
            self.style.SUCCESS(f"Uploaded {uploaded} invoice(s), {skipped} already archived.")
        )
