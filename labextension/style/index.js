import './base.css';
import './polish.css';
import './rows.css';
import './contents.css';
