"""The vendor's pipeline: every prospect with its latest assessment, filtered, sorted and paged; its
downloads; and who looks after a prospect and the deal expected."""
