from storages.backends.s3 import S3Storage


class PrivateMediaStorage(S3Storage):
    """Data sheets: private objects, served through short-lived signed URLs."""

    location = "private"
    default_acl = "private"
    file_overwrite = False
    custom_domain = False
    querystring_expire = 600
