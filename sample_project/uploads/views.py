from django.contrib import messages
from django.shortcuts import redirect, render

from .forms import InvoiceUploadForm
from .models import Upload
from .storage import upload_invoice


def upload_list(request):
    return render(request, "uploads/upload_list.html", {"uploads": Upload.objects.all()[:50]})


def upload_invoice_view(request):
    if request.method == "POST":
        form = InvoiceUploadForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            data = uploaded.read()
            key = f"invoices/{uploaded.name}"
            upload_invoice(data, key, content_type=uploaded.content_type or "application/pdf")
            Upload.objects.update_or_create(key=key, defaults={"size": len(data)})
            messages.success(request, f"Uploaded {key}.")
            return redirect("uploads:upload_list")
    else:
        form = InvoiceUploadForm()
    return render(request, "uploads/upload_form.html", {"form": form})
