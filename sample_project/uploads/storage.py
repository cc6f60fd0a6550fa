"""Archive of invoice files in S3."""

# boto3 (and botocore with it) is needed only when an invoice is actually
# uploaded, which web workers rarely do: the S3 client is made per upload,
# below.
import boto3
from django.conf import settings

# tenacity must stay a top-level import: retry() and its arguments are
# evaluated by the decorator below while this module is imported.
from tenacity import retry, stop_after_attempt, wait_exponential


@retry(
    stop=stop_after_attempt(3),
    wait=wait_exponential(multiplier=0.5, max=4),
    reraise=True,
)
def upload_invoice(data, key, content_type="application/pdf"):
    """Store ``data`` (bytes) in the invoice bucket under ``key``.

    S3 now and then answers with a throttling or 5xx error, so the call is
    retried a few times before the error reaches the caller.
    """
    client = boto3.client("s3", region_name=settings.INVOICE_REGION)
    client.put_object(
        Bucket=settings.INVOICE_BUCKET,
        Key=key,
        Body=data,
        ContentType=content_type,
    )
    return key
