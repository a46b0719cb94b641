from defis.accounts.tests.fragment import (  # noqa: F401  # fixtures, found by pytest here
    _accounts_fragment_translations,
    accounts_fragment_locale_dir,
)
