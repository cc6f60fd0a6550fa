from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import BodyBlock


@register_snippet
class Author(models.Model):
    name = models.CharField(max_length=255)
    bio = models.TextField(blank=True)
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")

    panels = [FieldPanel("name"), FieldPanel("bio"), FieldPanel("photo")]

    def __str__(self):
        return self.name


@register_setting(icon="site")
class SocialSettings(BaseSiteSetting):
    mastodon = models.URLField(blank=True)
    github = models.URLField(blank=True)


class HomePage(Page):
    intro = RichTextField(blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["blog.BlogIndexPage", "blog.ContactPage"]
    max_count = 1


class BlogIndexPage(RoutablePageMixin, Page):
    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["blog.BlogPage"]

    def posts(self):
        return BlogPage.objects.live().descendant_of(self).order_by("-first_published_at")

    @path("tag/<str:tag>/")
    def by_tag(self, request, tag):
        posts = self.posts().filter(tags__name=tag)
        return self.render(request, context_overrides={"posts": posts, "tag": tag})


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("blog.BlogPage", on_delete=models.CASCADE,
                                 related_name="tagged_items")


class BlogPage(Page):
    date = models.DateField(_("post date"))
    summary = models.CharField(max_length=500, blank=True)
    body = StreamField(BodyBlock())
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True)
    author = models.ForeignKey(Author, null=True, blank=True, on_delete=models.SET_NULL)

    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("author"), FieldPanel("tags")],
                        heading=_("Post information")),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("related_links", label=_("Related links")),
    ]
    parent_page_types = ["blog.BlogIndexPage"]
    api_fields = ["date", "summary", "body", "tags"]


class BlogPageRelatedLink(Orderable):
    page = ParentalKey(BlogPage, on_delete=models.CASCADE, related_name="related_links")
    title = models.CharField(max_length=255)
    url = models.URLField()

    panels = [FieldPanel("title"), FieldPanel("url")]


class ContactFormField(AbstractFormField):
    page = ParentalKey("blog.ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactPage(AbstractEmailForm):
    intro = RichTextField(blank=True)
    thank_you_text = RichTextField(blank=True)

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
            FieldPanel("subject"),
        ], heading=_("Email")),
    ]
